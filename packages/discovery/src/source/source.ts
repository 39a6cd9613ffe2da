import type { SourceName } from './events.js'

/**
 * The shape every source has (Kubernetes, etcd): `start()` resolves once the first complete sync
 * is applied (or rejects with a coded MeshError), then changes are pushed as they come; an
 * unreachable engine removes nothing, the source retries in the background and reports
 * degraded/recovered; `close()` stops it.
 */
export interface DiscoverySource {
  readonly name: SourceName
  start(): Promise<void>
  close(): Promise<void>
}
