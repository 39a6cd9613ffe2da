import type { Field } from '../field.js'
import { readNumber, readObject } from './read.js'

/**
 * Istio's `Percent {value: double}`: 0, or within [0.0001, 100] (webhook `validatePercentage`;
 * Envoy receives it as parts per million). Returns the percentage.
 */
export function readPercent(field: Field): number | undefined {
  if (!readObject(field, ['value'], 'an object like {value: 10}')) return undefined
  const valueField = field.at('value')
  const value = readNumber(valueField)
  if (value === undefined) return valueField.present ? undefined : 0
  if (value !== 0 && (value < 0.0001 || value > 100)) {
    valueField.error('PERCENT', `percentage ${value} is out of range: use 0 or a value in [0.0001, 100]`)
    return undefined
  }
  return value
}

/** Deprecated integer percentages (mirrorPercent, fault percent): 0..100. */
export function readIntPercent(field: Field): number | undefined {
  if (!field.present) return undefined
  const value = field.value
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
    field.error('PERCENT', `must be an integer percentage 0..100, got ${JSON.stringify(value)}`)
    return undefined
  }
  return value
}
