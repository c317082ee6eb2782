import { isRecord, valueAt } from "../../common/json";
import { UnresolvedReferenceError } from "./errors";

/**
 * Resolves the Terraform references of the synthesized JSON against the live deployment (see
 * `live-index.ts`), so the verifier's expectations are what the stack declared, with the values
 * AWS gave them.
 *
 * Supported: `${type.name.attr}`, `${data.type.name.attr}`, attribute paths with list indexes
 * (`${type.name.rule[0].id}`), a resource index (`${type.name[0].attr}`), and the escapes
 * `$${` and `%%{`. Anything else inside `${...}` (a function call, an operator, a variable) is
 * refused with an error: cdktf renders such expressions only when the code asks for them, and
 * guessing their value would make the expectation meaningless.
 */

/** One resource instance and the attribute values its references read. */
export interface StateResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** `count` / `for_each` index, when the resource has one. */
  readonly index?: number | string;
  readonly values: Record<string, unknown>;
}

/** Resource instances by `type.name` and `data.type.name`: what the deployment's references resolve to. */
export class StateIndex {
  private readonly byKey = new Map<string, StateResource[]>();

  constructor(resources: readonly StateResource[]) {
    for (const resource of resources) {
      const key = StateIndex.key(resource.mode, resource.type, resource.name);
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), resource]);
    }
  }

  private static key(mode: "managed" | "data", type: string, name: string): string {
    return `${mode === "data" ? "data." : ""}${type}.${name}`;
  }

  /** Every instance of one resource (one, unless it has `count` / `for_each`). */
  instances(mode: "managed" | "data", type: string, name: string): readonly StateResource[] {
    return this.byKey.get(StateIndex.key(mode, type, name)) ?? [];
  }

  /** The single instance of a managed resource, or undefined. */
  managed(type: string, name: string): StateResource | undefined {
    const found = this.instances("managed", type, name);
    return found.length === 1 ? found[0] : undefined;
  }
}

/** A parsed reference: which resource, which instance, which attribute path. */
export interface ParsedReference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly path: readonly (string | number)[];
}

const IDENT = "[A-Za-z_][A-Za-z0-9_-]*";
const INDEX = String.raw`\[(?:\d+|"[^"]*")\]`;
const REFERENCE = new RegExp(`^(data\\.)?(${IDENT})\\.(${IDENT})((?:${INDEX})?)((?:\\.${IDENT}|${INDEX})+)$`);
const SEGMENT = new RegExp(`\\.(${IDENT})|\\[(\\d+)\\]|\\["([^"]*)"\\]`, "g");

function parseIndex(text: string): number | string {
  const inner = text.slice(1, -1);
  return inner.startsWith('"') ? inner.slice(1, -1) : Number(inner);
}

/**
 * Parses the inside of `${...}` as a resource reference, or returns undefined when it is any
 * other expression.
 */
export function parseReference(expression: string): ParsedReference | undefined {
  const match = REFERENCE.exec(expression.trim());
  if (match === null) return undefined;
  const [, data, type, name, index, rest] = match;
  const path: (string | number)[] = [];
  for (const segment of rest.matchAll(SEGMENT)) {
    path.push(segment[1] ?? (segment[2] !== undefined ? Number(segment[2]) : segment[3]));
  }
  return { mode: data ? "data" : "managed", type, name, index: index ? parseIndex(index) : undefined, path };
}

/** The value of one reference in the state; throws UnresolvedReferenceError when there is none. */
function lookupReference(expression: string, index: StateIndex, where: string): unknown {
  const reference = `\${${expression}}`;
  const parsed = parseReference(expression);
  if (parsed === undefined) {
    throw new UnresolvedReferenceError(
      reference,
      where,
      "only resource and data-source attribute references can be resolved (no functions, variables or operators)",
    );
  }
  const address = `${parsed.mode === "data" ? "data." : ""}${parsed.type}.${parsed.name}`;
  const instances = index.instances(parsed.mode, parsed.type, parsed.name);
  if (instances.length === 0) {
    throw new UnresolvedReferenceError(reference, where, `${address} is not part of the deployment that was found`);
  }
  const instance =
    parsed.index === undefined
      ? instances.length === 1
        ? instances[0]
        : undefined
      : instances.find((candidate) => candidate.index === parsed.index);
  if (instance === undefined) {
    throw new UnresolvedReferenceError(
      reference,
      where,
      `${address} has ${instances.length} instance(s) and none matches index ${JSON.stringify(parsed.index ?? null)}`,
    );
  }
  const node = valueAt(instance.values, parsed.path);
  if (node === undefined || node === null) {
    throw new UnresolvedReferenceError(
      reference,
      where,
      `${instance.address} has no value at "${parsed.path.join(".")}"`,
    );
  }
  return node;
}

function interpolate(value: unknown, reference: string, where: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  throw new UnresolvedReferenceError(
    reference,
    where,
    "is a list or object, which cannot be interpolated into a string",
  );
}

/**
 * Resolves one Terraform template string. A string that is exactly one reference yields the
 * referenced value with its type (as Terraform does); otherwise every reference is interpolated.
 */
export function resolveTemplate(template: string, index: StateIndex, where = ""): unknown {
  const whole = /^\$\{([^{}]*)\}$/.exec(template);
  if (whole !== null) return lookupReference(whole[1], index, where);
  let out = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i)) {
      out += "${";
      i += 3;
    } else if (template.startsWith("%%{", i)) {
      out += "%{";
      i += 3;
    } else if (template.startsWith("${", i)) {
      const end = template.indexOf("}", i + 2);
      const expression = end < 0 ? template.slice(i + 2) : template.slice(i + 2, end);
      if (end < 0 || expression.includes("{")) {
        throw new UnresolvedReferenceError(`\${${expression}`, where, "is not a closed, simple reference");
      }
      out += interpolate(lookupReference(expression, index, where), `\${${expression}}`, where);
      i = end + 1;
    } else if (template.startsWith("%{", i)) {
      throw new UnresolvedReferenceError(
        template.slice(i, i + 40),
        where,
        "template directives (%{...}) are not supported",
      );
    } else {
      out += template[i];
      i += 1;
    }
  }
  return out;
}

/**
 * Resolves every string inside `value` (objects and lists are walked). `where` names the
 * location in cdk.tf.json for error messages.
 */
export function resolveReferences(value: unknown, index: StateIndex, where = ""): unknown {
  if (typeof value === "string") return resolveTemplate(value, index, where);
  if (Array.isArray(value)) return value.map((item, i) => resolveReferences(item, index, `${where}[${i}]`));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveReferences(item, index, where ? `${where}.${key}` : key),
      ]),
    );
  }
  return value;
}
