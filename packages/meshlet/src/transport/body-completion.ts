import { UpstreamBody } from './upstream-body.js'

/**
 * Tells layers when a response body coming from the transport is over (read to the end, failed,
 * or cancelled), without wrapping the stream: Envoy keeps a request active, and under its
 * timeouts and pool slots, until the whole response is in. Bodies the transport did not make are
 * not known here (see onBodyDone in wiring/).
 *
 * Runs `done` once the transport's body is over (now, if it already is). Returns false for a body
 * the transport did not make, which the caller must then watch itself.
 */
export function whenBodyFinished(body: object, done: () => void): boolean {
  if (!(body instanceof UpstreamBody)) return false
  body.whenOver(done)
  return true
}
