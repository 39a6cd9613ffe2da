/** A field path from the document root, e.g. ['spec', 'http', 0, 'route', 1, 'weight']. */
export type FieldPath = ReadonlyArray<string | number>

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `spec.http[0].route[1].weight`; map keys that are not identifiers print as `headers["end-user"]`. */
export function formatPath(path: FieldPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (identifier.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}
