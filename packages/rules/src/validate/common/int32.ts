import type { Field } from '../field.js'
import { readInt } from './read.js'

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
