import type { Field } from '../field.js'
import { describe, readInt } from './read.js'

export const INT32_MAX = 2147483647

/**
 * An int32 counter that Istio's webhook requires to be non-negative (connection pool limits,
 * `validation.go` validateConnectionPool: "must be non-negative"). 0 means "use the default",
 * since proto3 cannot tell 0 from unset.
 */
export function readNonNegativeInt32(field: Field): number | undefined {
  if (!field.present) return undefined
  return readInt(field, {
    min: 0,
    max: INT32_MAX,
    rangeMessage: `must be non-negative and at most ${INT32_MAX}, got ${String(field.value)}`,
  })
}

/** A number (protobuf DoubleValue) within [min, max]. */
export function readBoundedNumber(field: Field, min: number, max: number, hint = ''): number | undefined {
  if (!field.present) return undefined
  const value = field.value
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    field.error('TYPE', `must be a number${hint}, got ${describe(value)}`)
    return undefined
  }
  if (value < min || value > max) {
    field.error('RANGE', `must be in range ${min}..${max}, got ${value}`)
    return undefined
  }
  return value
}
