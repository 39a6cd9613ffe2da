import { afterEach, beforeEach, expect } from 'vitest'
import type { FakeClock } from '@meshlet/testing'
import type { Mesh, MeshEvents } from 'meshlet'
import { upstream } from '../helpers.js'

export { at, echo, mesh, upstream } from '../helpers.js'

/**
 * Every chaos file asserts that nothing escapes as an unhandled rejection or an uncaught
 * exception: a failure must reach the caller as a Response (or a body read error), never the process.
 */
export function failOnEscapedErrors(): void {
  const escaped: unknown[] = []
  const record = (error: unknown) => void escaped.push(error)
  beforeEach(() => {
    escaped.length = 0
    process.on('unhandledRejection', record)
    process.on('uncaughtException', record)
  })
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains: give them a turn before checking.
    await new Promise((resolve) => setImmediate(resolve))
    process.off('unhandledRejection', record)
    process.off('uncaughtException', record)
    expect(escaped).toEqual([])
  })
}

/** A loopback port nobody listens on: connecting to it is refused (Envoy's connect failure, UF). */
export async function refusingPort(): Promise<number> {
  const server = await upstream()
  const port = server.port
  await server.close()
  return port
}

/** An endpoint entry for a port that refuses connections. */
export function refusing(port: number, labels: Record<string, string> = {}) {
  return { address: '127.0.0.1', port, labels }
}

/**
 * Moves the fake clock in small steps, letting I/O run between them, until `pending` settles:
 * for calls whose retries wait a backoff on the mesh clock. Fails instead of spinning forever.
 */
export async function drive<T>(clock: FakeClock, pending: Promise<T>, { stepMs = 5, maxMs = 120_000 } = {}): Promise<T> {
  let done = false
  const result = pending.finally(() => (done = true))
  result.catch(() => undefined)
  const startMs = clock.now()
  while (!done) {
    if (clock.now() - startMs > maxMs) throw new Error(`drive: the call did not settle within ${maxMs} ms of mesh time`)
    await clock.tick(stepMs)
  }
  return result
}

/** The longest full-jitter backoff before retry `n` with Istio's 25 ms base (capped at 10 × base): Envoy router doc. */
export function maxBackoffMs(n: number, baseMs = 25): number {
  return Math.min((2 ** n - 1) * baseMs, 10 * baseMs)
}

/** Collects the payloads of some mesh events, by name, in arrival order. */
export function recordEvents<K extends keyof MeshEvents>(m: Mesh, names: readonly K[]): { [N in K]: Parameters<MeshEvents[N]>[0][] } {
  const seen = {} as { [N in K]: Parameters<MeshEvents[N]>[0][] }
  for (const name of names) {
    const list: unknown[] = []
    seen[name] = list as never
    m.on(name, ((event: unknown) => void list.push(event)) as never)
  }
  return seen
}

/** Status and reason of a response, its body read to the end (so pool slots are released). */
export async function settle(response: Response): Promise<{ status: number; reason: string | null; body: string }> {
  const body = await response.text()
  return { status: response.status, reason: response.headers.get('x-meshlet-reason'), body }
}
