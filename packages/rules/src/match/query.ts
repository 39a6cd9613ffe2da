/**
 * Finds the first value of a query parameter in a raw query string (no leading '?') without
 * building a URLSearchParams. Like Envoy's route matcher, values are compared as sent (not
 * percent-decoded), `?key` has the empty value, and the first occurrence wins.
 */
export function findQueryParam(query: string, name: string): string | undefined {
  if (query === '' || name === '') return undefined
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end === -1) end = query.length
    if (end - start >= name.length && query.startsWith(name, start)) {
      const after = start + name.length
      if (after === end) return ''
      if (query.charCodeAt(after) === 61 /* = */) return query.slice(after + 1, end)
    }
    start = end + 1
  }
  return undefined
}
