import { MeshError } from '@meshlet/core'
import type { EtcdOptions, KubernetesOptions } from '@meshlet/discovery'

/** Checks the shape of the `kubernetes` and `etcd` options, so a typo fails createMesh with the option named. */
export function validateDiscoveryOptions(kubernetes: KubernetesOptions | undefined, etcd: EtcdOptions | undefined): void {
  if (kubernetes !== undefined) {
    if (typeof kubernetes !== 'object' || kubernetes === null) throw invalid('kubernetes', 'an object ({} for the defaults)')
    for (const name of ['kubeconfig', 'context'] as const) {
      const value = kubernetes[name]
      if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalid(`kubernetes.${name}`, 'a non-empty string')
    }
    if (kubernetes.namespaces !== undefined && !(Array.isArray(kubernetes.namespaces) && kubernetes.namespaces.every((namespace) => typeof namespace === 'string' && namespace !== ''))) {
      throw invalid('kubernetes.namespaces', 'an array of namespace names')
    }
    for (const name of ['rules', 'nodes'] as const) if (kubernetes[name] !== undefined && typeof kubernetes[name] !== 'boolean') throw invalid(`kubernetes.${name}`, 'true or false')
    positive(kubernetes.syncTimeoutMs, 'kubernetes.syncTimeoutMs')
    positive(kubernetes.watchTimeoutSeconds, 'kubernetes.watchTimeoutSeconds')
  }
  if (etcd !== undefined) {
    if (typeof etcd !== 'object' || etcd === null) throw invalid('etcd', 'an object with endpoints')
    if (!Array.isArray(etcd.endpoints) || etcd.endpoints.length === 0 || !etcd.endpoints.every(isHttpUrl)) {
      throw invalid('etcd.endpoints', 'a non-empty array of client URLs such as http://127.0.0.1:2379')
    }
    if (etcd.prefix !== undefined && (typeof etcd.prefix !== 'string' || !etcd.prefix.startsWith('/') || !etcd.prefix.endsWith('/'))) {
      throw invalid('etcd.prefix', 'a key prefix starting and ending with "/", such as /meshlet/')
    }
    if ((etcd.username === undefined) !== (etcd.password === undefined)) throw invalid('etcd.username and etcd.password', 'given together')
    positive(etcd.syncTimeoutMs, 'etcd.syncTimeoutMs')
    positive(etcd.leaseTtlSeconds, 'etcd.leaseTtlSeconds')
    positive(etcd.probeIntervalMs, 'etcd.probeIntervalMs')
  }
}

function positive(value: number | undefined, option: string): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw invalid(option, 'a number > 0')
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function invalid(option: string, expected: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createMesh: option ${option} must be ${expected}`)
}
