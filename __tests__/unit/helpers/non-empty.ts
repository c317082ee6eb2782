/**
 * `list`, once it is known to hold something: a loop or an `each` over an empty list passes
 * without checking anything, so a test that loops over a computed list loops over this instead.
 */
export function nonEmpty<T>(list: readonly T[], what: string): readonly T[] {
  if (list.length === 0) throw new Error(`expected at least one ${what}, found none: the test would check nothing`);
  return list;
}
