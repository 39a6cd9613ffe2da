import type { Field } from '../validate/field.js'
import { readInt, readObject } from '../validate/common/read.js'
import { readDuration } from '../validate/common/duration.js'
import { readBoundedNumber } from '../validate/common/number.js'
import { DEFAULT_CIRCUIT_BREAKER } from './defaults.js'
import type { CircuitBreakerExtension } from './types.js'

const FIELDS = ['errorThresholdPercentage', 'volumeThreshold', 'resetTimeout', 'rollingCountTimeout', 'rollingCountBuckets', 'halfOpenMaxRequests'] as const

/**
 * `meshlet.io/circuit-breaker`, e.g. `{errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeout: 30s}`:
 * opossum's knobs with opossum's defaults; durations are Go duration strings.
 */
export function readCircuitBreakerExtension(field: Field): CircuitBreakerExtension | undefined {
  if (!readObject(field, FIELDS, 'an object such as {errorThresholdPercentage: 50, resetTimeout: 30s}')) return undefined
  const rollingCountTimeoutMs = readDuration(field.at('rollingCountTimeout')) ?? DEFAULT_CIRCUIT_BREAKER.rollingCountTimeoutMs
  const rollingCountBuckets = readInt(field.at('rollingCountBuckets'), { min: 1, max: 1000 }) ?? DEFAULT_CIRCUIT_BREAKER.rollingCountBuckets
  if (rollingCountTimeoutMs < rollingCountBuckets) {
    field.at('rollingCountBuckets').error('RANGE', `${rollingCountBuckets} buckets over a ${rollingCountTimeoutMs}ms window would be shorter than 1ms each; use fewer buckets or a longer rollingCountTimeout`)
  }
  return Object.freeze({
    errorThresholdPercentage: readBoundedNumber(field.at('errorThresholdPercentage'), 0, 100) ?? DEFAULT_CIRCUIT_BREAKER.errorThresholdPercentage,
    volumeThreshold: readInt(field.at('volumeThreshold'), { min: 0 }) ?? DEFAULT_CIRCUIT_BREAKER.volumeThreshold,
    resetTimeoutMs: readDuration(field.at('resetTimeout')) ?? DEFAULT_CIRCUIT_BREAKER.resetTimeoutMs,
    rollingCountTimeoutMs,
    rollingCountBuckets,
    halfOpenMaxRequests: readInt(field.at('halfOpenMaxRequests'), { min: 1 }) ?? DEFAULT_CIRCUIT_BREAKER.halfOpenMaxRequests,
  })
}
