import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'

/** Bound on remembered passthrough destinations, so a process calling many hosts does not grow without end. */
const MAX_REMEMBERED = 1024

/**
 * The single endpoint of a passthrough call: the name and port the caller addressed, resolved by
 * the operating system when the connection opens (Envoy's PassthroughCluster / ORIGINAL_DST).
 * The same object is returned for the same name and port, so per-endpoint state persists.
 */
export class PassthroughEndpoints {
  private readonly remembered = new Map<string, readonly MeshEndpoint[]>()

  for(name: string, port: number): readonly MeshEndpoint[] {
    const id = endpointId(name, port)
    let endpoints = this.remembered.get(id)
    if (endpoints === undefined) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear()
      endpoints = Object.freeze([Object.freeze({ id, address: name, port, labels: {}, locality: undefined, weight: 1 })])
      this.remembered.set(id, endpoints)
    }
    return endpoints
  }
}
