/**
 * What routing needs from a request. The data plane adapts its own request type to this shape once
 * per request; `header` reads the live headers, so nothing is copied.
 */
export interface RouteRequest {
  readonly method: string
  /** `http` or `https`. */
  readonly scheme: string
  /** The authority as the caller wrote it, port included (what `match.authority` tests). */
  readonly authority: string
  /** The path without the query string. */
  readonly path: string
  /** The raw query string, without '?'. */
  readonly query: string
  /** Path and query as sent (`path` + '?' + `query`, or `path` alone): what Envoy's `:path` holds. */
  readonly pathWithQuery: string
  /** The destination port being addressed (explicit, or 80/443 from the scheme). */
  readonly port: number | undefined
  /** A header value by lower-case name; several values joined with ','. */
  header(name: string): string | undefined
}
