import type { Clock, TypedEmitter } from '@meshlet/core'
import type { MeshEvents } from '../mesh/events.js'
import type { AdminEvent, AdminEventKind } from './contract.js'

/**
 * The last events of a mesh, for the admin page: ejections and returns, rejected and reloaded
 * config, retries and give-ups, overflows, timeouts, faults, breaker changes. It listens only
 * while started (an admin server is open): the layers build an event's payload only when the event
 * has a listener, so a mesh with no admin server open pays nothing for this.
 */
export class RecentEvents {
  readonly #events: TypedEmitter<MeshEvents>
  readonly #clock: Clock
  readonly #limit: number
  readonly #buffer: AdminEvent[] = []
  #stop: (() => void) | undefined
  #users = 0

  constructor(events: TypedEmitter<MeshEvents>, clock: Clock, limit: number) {
    this.#events = events
    this.#clock = clock
    this.#limit = limit
  }

  /** Oldest first. */
  list(): readonly AdminEvent[] {
    return this.#buffer.slice()
  }

  /** Starts listening (counted: each admin server starts once); returns its own stop function. */
  start(): () => void {
    if (this.#users++ === 0) this.#stop = this.#subscribe()
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      if (--this.#users === 0) {
        this.#stop?.()
        this.#stop = undefined
      }
    }
  }

  #add(kind: AdminEventKind, cluster: string | undefined, summary: string): void {
    this.#buffer.push({ kind, atMs: this.#clock.now(), cluster, summary })
    if (this.#buffer.length > this.#limit) this.#buffer.splice(0, this.#buffer.length - this.#limit)
  }

  #subscribe(): () => void {
    const listeners: { [K in AdminEventKind]: MeshEvents[K] } = {
      configReloaded: (event) => this.#add('configReloaded', undefined, `config reloaded: generation ${event.generation}${event.files.length > 0 ? ` from ${event.files.join(', ')}` : ''}`),
      configRejected: (error) => this.#add('configRejected', undefined, `config rejected, the last good config stays: ${firstLine(error.message)}`),
      endpointEjected: (event) =>
        this.#add('endpointEjected', event.cluster, `${event.endpoint} ejected (${event.reason}) for ${event.ejectionTimeMs} ms; ${event.ejectedEndpoints} ejected in the cluster`),
      endpointReturned: (event) => this.#add('endpointReturned', event.cluster, `${event.endpoint} returned after ${Math.round(event.ejectedForMs)} ms out`),
      ejectionSkipped: (event) => this.#add('ejectionSkipped', event.cluster, `${event.endpoint} kept in (${event.reason}): maxEjectionPercent reached`),
      retry: (event) => this.#add('retry', event.cluster, `retry ${event.retry} of ${event.method} after ${event.outcome}, backoff ${Math.round(event.backoffMs)} ms`),
      giveUp: (event) => this.#add('giveUp', event.cluster, `${event.method} gave up after ${event.tries} ${event.tries === 1 ? 'try' : 'tries'} (${event.reason}), last ${event.outcome}`),
      overflow: (event) => this.#add('overflow', event.cluster, `overflow: ${event.limit} limit full (${event.activeRequests} active, ${event.pendingRequests} pending), answered 503 UO`),
      timeout: (event) => this.#add('timeout', undefined, `${event.kind} timeout after ${event.timeoutMs} ms (${event.phase === 'headers' ? 'no response yet' : 'body cut'})`),
      fault: (event) =>
        this.#add('fault', undefined, event.kind === 'delay'
          ? `fault delay of ${event.delayMs} ms on ${event.host ?? 'a call'}${event.route === undefined ? '' : ` (route ${event.route})`}`
          : `fault abort ${event.grpcStatus ?? event.status} on ${event.host ?? 'a call'}${event.route === undefined ? '' : ` (route ${event.route})`}`),
      circuitOpened: (event) => this.#add('circuitOpened', event.cluster, `circuit opened from ${event.from} (${event.failures}/${event.calls} failed), trial in ${event.resetTimeoutMs} ms`),
      circuitHalfOpened: (event) => this.#add('circuitHalfOpened', event.cluster, 'circuit half-open: letting a trial call through'),
      circuitClosed: (event) => this.#add('circuitClosed', event.cluster, 'circuit closed'),
    }
    // Each listener is typed against its event above; the loop only needs names and functions.
    const events = this.#events as unknown as NamedEmitter
    for (const [name, listener] of Object.entries(listeners)) events.on(name, listener)
    return () => {
      for (const [name, listener] of Object.entries(listeners)) events.off(name, listener)
    }
  }
}

interface NamedEmitter {
  on(name: string, listener: (...args: never[]) => void): unknown
  off(name: string, listener: (...args: never[]) => void): unknown
}

function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end < 0 ? text : `${text.slice(0, end)} …`
}
