import { MeshError } from '@meshlet/core'
import type { BalancerConfig } from './config.js'
import { DEFAULT_CONSISTENT_HASH } from './defaults.js'
import { isPrime } from '../internal/primes.js'

/**
 * Rejects values the compiled snapshot would never produce but a hand-written config could, so
 * a mistake fails at creation and never on the request path.
 */
export function assertValidConfig(config: BalancerConfig): void {
  const hash = config.consistentHash?.algorithm
  if (hash?.kind === 'maglev' && hash.tableSize !== undefined && hash.tableSize !== 0) {
    if (!Number.isInteger(hash.tableSize) || !isPrime(hash.tableSize) || hash.tableSize >= DEFAULT_CONSISTENT_HASH.maglevMaxTableSize) {
      invalid(`maglev.tableSize must be a prime below ${DEFAULT_CONSISTENT_HASH.maglevMaxTableSize}, got ${hash.tableSize}`)
    }
  }
  if (hash?.kind === 'ringHash' && hash.minimumRingSize !== undefined) {
    if (!Number.isInteger(hash.minimumRingSize) || hash.minimumRingSize < 0 || hash.minimumRingSize > DEFAULT_CONSISTENT_HASH.maximumRingSize) {
      invalid(`ringHash.minimumRingSize must be an integer in 0..${DEFAULT_CONSISTENT_HASH.maximumRingSize}, got ${hash.minimumRingSize}`)
    }
  }
  if (config.algorithm === 'CONSISTENT_HASH' && config.consistentHash === undefined) {
    invalid('algorithm CONSISTENT_HASH needs a consistentHash setting')
  }
  const warmup = config.warmup
  if (warmup !== undefined) {
    if (!(warmup.durationMs > 0)) invalid(`warmup.durationMs must be > 0, got ${warmup.durationMs}`)
    const minimumPercent = warmup.minimumPercent
    if (minimumPercent !== undefined && !(minimumPercent >= 0 && minimumPercent <= 100)) {
      invalid(`warmup.minimumPercent must be within 0..100, got ${minimumPercent}`)
    }
    if (warmup.aggression !== undefined && !(warmup.aggression > 0)) invalid(`warmup.aggression must be > 0, got ${warmup.aggression}`)
  }
}

function invalid(message: string): never {
  throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `balancer: ${message}`)
}
