/**
 * Header maps as the data plane carries them: plain objects keyed by lower-case name. Request
 * values are single strings (repeated headers joined with ", " as fetch's Headers does); response
 * values may be lists because `set-cookie` cannot be joined.
 */
export type MeshHeaders = Readonly<Record<string, string>>

export type MeshResponseHeaders = Readonly<Record<string, string | readonly string[]>>

/** One response header as a single string (lists joined with ", "), or undefined. */
export function responseHeader(headers: MeshResponseHeaders, name: string): string | undefined {
  const value = headers[name]
  if (value === undefined || typeof value === 'string') return value
  return value.join(', ')
}
