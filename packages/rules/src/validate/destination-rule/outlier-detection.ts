import type { Field } from '../field.js'
import { readBool, readInt, readList, readObject, readUint32 } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readIntPercent } from '../common/percent.js'
import { INT32_MAX } from '../common/int32.js'

const OUTLIER_FIELDS = [
  'splitExternalLocalOriginErrors',
  'consecutiveLocalOriginFailures',
  'consecutiveGatewayErrors',
  'consecutive5xxErrors',
  'interval',
  'baseEjectionTime',
  'maxEjectionPercent',
  'minHealthPercent',
  'consecutiveErrors',
  'outlierDetectionHttpErrorCodes',
] as const

/**
 * `outlierDetection` (`validation.go` validateOutlierDetection; reference §14): counters are
 * uint32, percentages 0..100, durations ≥ 1ms; consecutiveLocalOriginFailures needs
 * splitExternalLocalOriginErrors; deprecated consecutiveErrors warns; error codes 100..599.
 */
export function validateOutlierDetection(field: Field): void {
  if (!readObject(field, OUTLIER_FIELDS)) return
  const split = readBool(field.at('splitExternalLocalOriginErrors')) ?? false
  const localOrigin = readUint32(field.at('consecutiveLocalOriginFailures'))
  if (localOrigin !== undefined && localOrigin > 0 && !split) {
    field.at('consecutiveLocalOriginFailures').error(
      'DR_OUTLIER_LOCAL_ORIGIN_WITHOUT_SPLIT',
      'consecutiveLocalOriginFailures only applies with splitExternalLocalOriginErrors: true; set it, or remove this field',
    )
  }
  readUint32(field.at('consecutiveGatewayErrors'))
  readUint32(field.at('consecutive5xxErrors'))
  readDuration(field.at('interval'))
  readDuration(field.at('baseEjectionTime'))
  readIntPercent(field.at('maxEjectionPercent'))
  readIntPercent(field.at('minHealthPercent'))
  const legacy = readInt(field.at('consecutiveErrors'), { min: -INT32_MAX - 1, max: INT32_MAX })
  if (legacy !== undefined && legacy !== 0) {
    field.at('consecutiveErrors').warn(
      'DR_OUTLIER_CONSECUTIVE_ERRORS_DEPRECATED',
      'consecutiveErrors is deprecated (it only counted 502/503/504); use consecutive5xxErrors or consecutiveGatewayErrors',
    )
  }
  for (const code of readList(field.at('outlierDetectionHttpErrorCodes'))) {
    readInt(code, { min: 100, max: 599, rangeMessage: `HTTP status ${String(code.value)} must be in range 100..599` })
  }
}
