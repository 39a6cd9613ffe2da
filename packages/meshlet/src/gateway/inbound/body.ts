import type { IncomingMessage } from 'node:http'
import type { MeshBody } from '@meshlet/core'

/** Thrown inside the request body stream when it passes the gateway's limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body larger than ${limitBytes} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/**
 * The inbound body as the request body of the upstream call: null when HTTP/1.1 says there is
 * none (no Content-Length above 0 and no Transfer-Encoding), the Node stream itself otherwise
 * (streamed, never buffered), or, under a size limit, a stream that fails once the limit is passed.
 */
export function inboundBody(req: IncomingMessage, limitBytes: number | undefined, overflow: { tooLarge: boolean }): MeshBody {
  const length = req.headers['content-length']
  const chunked = req.headers['transfer-encoding'] !== undefined
  if (!chunked && (length === undefined || length === '0')) return null
  if (limitBytes === undefined) return req
  return limited(req, limitBytes, overflow)
}

/** Passes the body on and fails it past the limit, noting it so the client gets 413 rather than the upstream's failure. */
async function* limited(req: IncomingMessage, limitBytes: number, overflow: { tooLarge: boolean }): AsyncIterable<Uint8Array> {
  let total = 0
  for await (const chunk of req) {
    total += (chunk as Buffer).length
    if (total > limitBytes) {
      overflow.tooLarge = true
      throw new BodyTooLargeError(limitBytes)
    }
    yield chunk as Buffer
  }
}
