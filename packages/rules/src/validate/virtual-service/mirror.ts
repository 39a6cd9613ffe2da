import type { Field } from '../field.js'
import { describe, readInt, readList, readObject, UINT32_MAX } from '../common/read.js'
import { validateDestination } from './destination.js'
import { reportNullItem } from './scope.js'

/**
 * Mirroring (`virtualservice.go` validateHTTPRoute, `validation.go` validateHTTPMirrors): `mirror`
 * is a destination; each of `mirrors` needs a destination; percentages are within 0..100;
 * `mirrorPercent` (also spelt `mirror_percent`) is deprecated in favour of `mirrorPercentage`.
 */
export function validateMirroring(route: Field): void {
  validateDestination(route.at('mirror'))
  readMirrorPercentage(route.at('mirrorPercentage'))
  for (const key of ['mirrorPercent', 'mirror_percent']) {
    const field = route.at(key)
    const percent = readInt(field, { min: 0, max: UINT32_MAX })
    if (percent === undefined) continue
    if (percent > 100) field.error('PERCENT', `${key} must be at most 100, got ${percent}`)
    field.warn('DEPRECATED', `${key} is deprecated; use mirrorPercentage: {value: ${Math.min(percent, 100)}}`)
  }
  for (const item of readList(route.at('mirrors'))) {
    if (reportNullItem(item, 'a mirror')) continue
    if (!readObject(item, ['destination', 'percentage'], 'an object like {destination: {host: shadow}, percentage: {value: 10}}')) continue
    if (!item.at('destination').present) item.at('destination').error('REQUIRED', 'destination is required for each mirror, e.g. destination: {host: shadow}')
    else validateDestination(item.at('destination'))
    readMirrorPercentage(item.at('percentage'))
  }
}

/** Mirror percentages are only bounded by 0..100 (no 0.0001 floor, unlike fault percentages). */
function readMirrorPercentage(field: Field): void {
  if (!readObject(field, ['value'], 'an object like {value: 10}')) return
  const valueField = field.at('value')
  if (!valueField.present) return
  const value = valueField.value
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    valueField.error('TYPE', `must be a number, got ${describe(value)}`)
  } else if (value < 0 || value > 100) {
    valueField.error('PERCENT', `mirror percentage ${value} is out of range; use a value in [0, 100]`)
  }
}
