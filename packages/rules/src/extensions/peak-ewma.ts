import type { Field } from '../validate/field.js'
import { readObject } from '../validate/common/read.js'
import { readDuration } from '../validate/common/duration.js'
import { DEFAULT_PEAK_EWMA } from './defaults.js'
import type { PeakEwmaExtension } from './types.js'

/** `meshlet.io/peak-ewma`, e.g. `{decay: 10s}`. */
export function readPeakEwmaExtension(field: Field): PeakEwmaExtension | undefined {
  if (!readObject(field, ['decay'], 'an object such as {decay: 10s}')) return undefined
  return Object.freeze({ decayMs: readDuration(field.at('decay')) ?? DEFAULT_PEAK_EWMA.decayMs })
}
