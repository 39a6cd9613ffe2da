import type { ReconnectSettings } from '../reconnect/settings.js'
import type { EtcdConnection } from './client/gateway.js'

/** `createMesh({ etcd })`: rules and endpoints from etcd (v3 API). */
export interface EtcdOptions extends EtcdConnection {
  /** Every key meshlet reads and writes starts with it. Default `/meshlet/`. */
  readonly prefix?: string
  /** createMesh resolves after the first complete read, or rejects after this long. Default 10 000. */
  readonly syncTimeoutMs?: number
  /** TTL of the lease `mesh.register()` writes its WorkloadEntry under. Default 10 s. */
  readonly leaseTtlSeconds?: number
  /** A live watch is checked this often (etcd's status); a silent dead connection is dropped. Default 10 000. */
  readonly probeIntervalMs?: number
  /** Backoff and breaker of reconnects (see DEFAULT_RECONNECT). */
  readonly reconnect?: Partial<ReconnectSettings>
}

/** Defaults of the etcd source. */
export const DEFAULT_ETCD = Object.freeze({
  prefix: '/meshlet/',
  syncTimeoutMs: 10_000,
  leaseTtlSeconds: 10,
  probeIntervalMs: 10_000,
  /** Keys per range request of the first read (and of a re-read after compaction). */
  pageSize: 1_000,
})
