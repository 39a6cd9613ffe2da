import { isIpAddress } from '@meshlet/core'
import type { CompiledTrafficPolicy } from '@meshlet/rules'
import { toUndiciPoolOptions } from './undici-options.js'
import type { MeshCallTarget } from '../call-context.js'
import { DEFAULT_POOL_SETTINGS } from './pools.js'
import type { PoolSettings } from './pools.js'

/**
 * PoolSettings for a target, derived once per compiled policy (and TLS server name) and cached,
 * so the per-request path only does two map lookups.
 */
export class PoolSettingsCache {
  private readonly byPolicy = new WeakMap<CompiledTrafficPolicy, Map<string, PoolSettings>>()

  for(target: MeshCallTarget): PoolSettings {
    const sniKey = target.upstreamScheme === 'https' ? (target.sni ?? '') : ''
    let bySni = this.byPolicy.get(target.policy)
    if (bySni === undefined) {
      bySni = new Map()
      this.byPolicy.set(target.policy, bySni)
    }
    let settings = bySni.get(sniKey)
    if (settings === undefined) {
      settings = poolSettings(target)
      bySni.set(sniKey, settings)
    }
    return settings
  }
}

/**
 * The connectionPool as undici settings (undici-options.ts) maps connect timeout, idle timeout
 * (http.idleTimeout, else tcp.idleTimeout, as Istio does), per-endpoint connection cap and
 * connection age; maxRequestsPerConnection is applied by the pools with Envoy's exact meaning.
 */
function poolSettings(target: MeshCallTarget): PoolSettings {
  const pool = target.policy.connectionPool
  const mapped = toUndiciPoolOptions(pool)
  const tls = target.policy.tls
  const originates = target.upstreamScheme === 'https'
  return {
    connectTimeoutMs: mapped.connect.timeout > 0 ? mapped.connect.timeout : DEFAULT_POOL_SETTINGS.connectTimeoutMs,
    idleTimeoutMs: mapped.keepAliveTimeout,
    maxRequestsPerConnection: pool.maxRequestsPerConnection,
    maxConnections: mapped.connections,
    maxConnectionAgeMs: mapped.clientTtl,
    tls: originates
      ? {
          // TLS forbids an IP address as server name (RFC 6066 §3).
          servername: serverName(tls?.sni ?? target.sni),
          rejectUnauthorized: tls?.insecureSkipVerify !== true,
          caFile: tls?.caCertificates,
          certFile: tls?.mode === 'MUTUAL' ? tls.clientCertificate : undefined,
          keyFile: tls?.mode === 'MUTUAL' ? tls.privateKey : undefined,
        }
      : undefined,
  }
}

function serverName(name: string | undefined): string | undefined {
  return name === undefined || isIpAddress(name) ? undefined : name
}
