import type { Field } from '../field.js'
import { readString } from './read.js'

/**
 * A string the schema requires: reports REQUIRED with `message` when it is absent or empty
 * (proto3 cannot tell the two apart), TYPE when it is not a string. Returns the non-empty string.
 */
export function readRequiredString(field: Field, message: string): string | undefined {
  if (!field.present || field.value === '') {
    field.error('REQUIRED', message)
    return undefined
  }
  return readString(field)
}
