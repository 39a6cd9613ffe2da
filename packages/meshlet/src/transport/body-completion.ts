/**
 * Tells layers when a response body coming from the transport is over (read to the end, failed,
 * or cancelled), without wrapping the stream: Envoy keeps a request active, and under its
 * timeouts and pool slots, until the whole response is in. Bodies the transport did not make are
 * not known here (see onBodyDone in wiring/).
 */
const pending = new WeakMap<object, Array<() => void>>()
const finished = new WeakSet<object>()

/** The transport registers each response body stream it creates. */
export function trackBody(body: object): void {
  pending.set(body, [])
}

/** The transport marks the body over; every listener runs once. */
export function bodyFinished(body: object): void {
  const listeners = pending.get(body)
  if (listeners === undefined) return
  pending.delete(body)
  finished.add(body)
  for (const listener of listeners) listener()
}

/**
 * Runs `done` once the tracked body is over (now, if it already is). Returns false for a body the
 * transport does not track, which the caller must then watch itself.
 */
export function whenBodyFinished(body: object, done: () => void): boolean {
  if (finished.has(body)) {
    done()
    return true
  }
  const listeners = pending.get(body)
  if (listeners === undefined) return false
  listeners.push(done)
  return true
}
