import type { Field } from '../field.js'
import { describe } from './read.js'

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
