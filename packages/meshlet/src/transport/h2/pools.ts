import { UNIX_SOCKET_PREFIX } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { addressOfOrigin, settingsKey } from '../pools.js'
import type { H2Origin } from './connection.js'
import { H2EndpointPool } from './endpoint-pool.js'
import type { H2Settings } from './settings.js'

/**
 * The HTTP/2 connection pools of a mesh: one per endpoint, scheme and settings (so clusters with
 * different settings never share a connection), each multiplexing its streams over as few
 * connections as maxConcurrentStreams allows. They live until the mesh closes.
 */
export class H2PoolRegistry {
  readonly #pools = new Map<string, H2EndpointPool>()
  readonly #keys = new WeakMap<H2Settings, string>()
  #closed = false

  get(scheme: 'http' | 'https', endpoint: MeshEndpoint, settings: H2Settings): H2EndpointPool {
    let settingsText = this.#keys.get(settings)
    if (settingsText === undefined) {
      settingsText = `${settings.key}|${settingsKey(settings.pool)}`
      this.#keys.set(settings, settingsText)
    }
    const key = `${scheme}://${endpoint.id}|${settingsText}`
    let pool = this.#pools.get(key)
    if (pool === undefined) {
      pool = new H2EndpointPool(originOf(scheme, endpoint), settings)
      this.#pools.set(key, pool)
    }
    return pool
  }

  get size(): number {
    return this.#pools.size
  }

  get isClosed(): boolean {
    return this.#closed
  }

  /** Drains the pools of endpoints at these addresses (see PoolRegistry.retire). */
  retire(addresses: ReadonlySet<string>): void {
    if (addresses.size === 0) return
    for (const [key, pool] of this.#pools) {
      if (!addresses.has(addressOfOrigin(key.slice(0, key.indexOf('|'))))) continue
      this.#pools.delete(key)
      void pool.close()
    }
  }

  /** Drains every connection and resolves when they are closed. */
  async close(): Promise<void> {
    this.#closed = true
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map((pool) => pool.close()))
  }

  destroy(): void {
    this.#closed = true
    for (const pool of this.#pools.values()) pool.destroy()
    this.#pools.clear()
  }
}

function originOf(scheme: 'http' | 'https', endpoint: MeshEndpoint): H2Origin {
  if (endpoint.address.startsWith(UNIX_SOCKET_PREFIX)) {
    return { authority: `${scheme}://localhost`, socketPath: endpoint.address.slice(UNIX_SOCKET_PREFIX.length), tls: scheme === 'https' }
  }
  return { authority: `${scheme}://${endpoint.id}`, socketPath: undefined, tls: scheme === 'https' }
}
