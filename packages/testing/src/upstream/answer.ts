import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RecordedRequest } from './recorded-request.js'

/**
 * What a scripted upstream does with one request. A number is a status with the echo body.
 *
 * - `{ status, headers, body }`: a plain answer (`echo: true` sends the echo JSON as body).
 * - `delayMs`: wait (real time) before answering; `until`: wait for a promise the test settles.
 * - `streamBytes`: answer with this many bytes, written in `chunkBytes` pieces (a large download).
 * - `{ reset: 'before-headers' }` closes the socket without answering; `'after-headers'` sends the
 *   status line and part of the body, then closes it.
 * - `{ hang: true }` never answers (the socket is closed when the upstream closes).
 * - a function answers by itself (the body has been read into `request.body` when it runs, unless
 *   `readBody: false` was given on the upstream).
 */
export type Answer =
  | number
  | PlainAnswer
  | { readonly reset: 'before-headers' | 'after-headers' }
  | { readonly hang: true }
  | ((request: RecordedRequest, response: ServerResponse, incoming: IncomingMessage) => void | Promise<void>)

export interface PlainAnswer {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  readonly body?: string | Uint8Array
  readonly echo?: boolean
  readonly delayMs?: number
  readonly until?: Promise<unknown>
  readonly streamBytes?: number
  readonly chunkBytes?: number
}

/** The body an echo answer sends: what the upstream saw, as JSON. */
export interface EchoBody {
  readonly upstream: string
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly bodyBytes: number
}
