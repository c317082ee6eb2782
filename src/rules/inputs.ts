/**
 * Reading configured values (the provider classes' `…Input` getters) the way every rule must:
 * a value can be a literal, absent, or a Terraform expression (a cdktf token) that is only
 * known at plan time. A rule never guesses what a token holds.
 */
import { IResolvable, Token, Tokenization } from "cdktf";

/** True when the value is a cdktf token (an expression Terraform resolves, not a literal). */
export function isToken(value: unknown): boolean {
  return Tokenization.isResolvable(value) || Token.isUnresolved(value);
}

/**
 * A nested-block list input (`ruleInput`, `filterInput`, …) as an array: `[]` when absent,
 * `undefined` when the whole list is a token (a dynamic block: unknown until plan).
 */
export function inputBlocks<T>(value: IResolvable | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return [];
  if (isToken(value) || !Array.isArray(value)) return undefined;
  return value as readonly T[];
}

/** A single nested block input, `undefined` when it is absent or a token. */
export function inputBlock<T extends object>(value: IResolvable | T | undefined): T | undefined {
  if (value === undefined || isToken(value)) return undefined;
  return value as T;
}

/** What the rules say about a value they cannot read at synth. */
export const SET_BY_EXPRESSION = "is set by a Terraform expression, which cannot be checked at synth";
