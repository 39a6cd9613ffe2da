import type { IncomingHttpHeaders } from 'node:http'

/** One request an upstream received, as it arrived on the wire. */
export interface RecordedRequest {
  readonly method: string
  /** Path and query as received. */
  readonly path: string
  /** Lower-case names; `host` is the Host header the upstream saw. */
  readonly headers: IncomingHttpHeaders
  /** The body as text (empty when the upstream was told not to keep bodies). */
  readonly body: string
  readonly bodyBytes: number
  /** Position among the requests this upstream received, from 0. */
  readonly index: number
}
