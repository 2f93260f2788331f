/**
 * `{ X: 'X' }` for every key of `table`: a const object derived from a documentation table, so call sites
 * write `Reason.X` and get the literal type `'X'`, and a name cannot exist without its table entry.
 */
export function literalKeys<T extends Record<string, unknown>>(table: T): { readonly [K in keyof T]: K } {
  return Object.fromEntries(Object.keys(table).map((name) => [name, name])) as {
    readonly [K in keyof T]: K;
  };
}
