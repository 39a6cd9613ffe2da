import { isMeshError } from '@meshlet/core'
import type { TypedEmitter } from '@meshlet/core'
import type { MeshConfigError, MeshSnapshot } from '@meshlet/rules'
import type { MeshEvents } from './events.js'
import { isLiveOrigin } from '../discovery/origins.js'

export interface ReloaderParts {
  readonly snapshot: MeshSnapshot
  /** Reads and compiles the rules again (from the same options). */
  readonly load: () => Promise<MeshSnapshot>
  readonly events: TypedEmitter<MeshEvents>
  /** Told of every snapshot swapped in (internal: what the data plane keeps per cluster follows it). */
  readonly onSwapped?: ((snapshot: MeshSnapshot) => void) | undefined
  /** True once the mesh is closing: a reload finishing then swaps nothing in. */
  readonly closing: () => boolean
}

/**
 * The mesh's current rules and how they change: a reload compiles the rules again and, only when
 * they compiled, swaps the new snapshot in for new calls (calls in flight keep theirs) and emits
 * `configReloaded`; otherwise the last good snapshot stays and `configRejected` carries the
 * MeshConfigError. Concurrent reloads coalesce into one more.
 */
export class Reloader {
  #current: MeshSnapshot
  #reloading: Promise<boolean> | undefined
  #again = false

  constructor(private readonly parts: ReloaderParts) {
    this.#current = parts.snapshot
  }

  get current(): MeshSnapshot {
    return this.#current
  }

  reload(): Promise<boolean> {
    if (this.#reloading !== undefined) {
      this.#again = true
      return this.#reloading
    }
    this.#reloading = this.#run().finally(() => (this.#reloading = undefined))
    return this.#reloading
  }

  async #run(): Promise<boolean> {
    let ok = false
    do {
      this.#again = false
      ok = await this.#once()
    } while (this.#again && !this.parts.closing())
    return ok
  }

  async #once(): Promise<boolean> {
    const { events } = this.parts
    try {
      const snapshot = await this.parts.load()
      if (this.parts.closing()) return false
      this.#current = snapshot
      this.parts.onSwapped?.(snapshot)
      if (events.listenerCount('configReloaded') > 0) {
        const files = [...new Set(snapshot.resources.map((resource) => resource.file).filter((file) => !file.startsWith('<') && !isLiveOrigin(file)))]
        events.emit('configReloaded', { generation: snapshot.generation, files })
      }
      return true
    } catch (error) {
      if (!isMeshError(error)) throw error
      events.emit('configRejected', error as MeshConfigError)
      return false
    }
  }
}
