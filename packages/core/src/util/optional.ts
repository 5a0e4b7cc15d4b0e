// `{ key: value }` when the value is defined, `{}` otherwise: spreads an optional field into an object literal without
// writing `undefined` into it (specs the ad package checks with `=== undefined`, JSON stored in the state).
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
