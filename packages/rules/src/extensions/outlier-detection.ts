import type { Field } from '../validate/field.js'
import { readObject, readUint32 } from '../validate/common/read.js'
import { readDuration } from '../validate/common/duration.js'
import { readIntPercent } from '../validate/common/percent.js'
import { DEFAULT_FAILURE_PERCENTAGE, DEFAULT_OUTLIER_INTERVAL_MS, DEFAULT_SUCCESS_RATE } from './defaults.js'
import type { FailurePercentageEjection, OutlierDetectionExtension, SuccessRateEjection } from './types.js'

const FIELDS = ['interval', 'successRate', 'failurePercentage'] as const
const SUCCESS_RATE_FIELDS = ['minimumHosts', 'requestVolume', 'stdevFactor', 'enforcementPercentage'] as const
const FAILURE_PERCENTAGE_FIELDS = ['threshold', 'minimumHosts', 'requestVolume', 'enforcementPercentage'] as const

/**
 * `meshlet.io/outlier-detection`, e.g. `{interval: 10s, successRate: {}, failurePercentage: {threshold: 50}}`.
 * Field names and defaults are Envoy's; a block written as `{}` (or left empty) takes all defaults.
 */
export function readOutlierDetectionExtension(field: Field): OutlierDetectionExtension | undefined {
  if (!readObject(field, FIELDS, 'an object such as {successRate: {}, failurePercentage: {threshold: 85}}')) return undefined
  const requested = (key: string) => Object.hasOwn(field.value as object, key)
  if (!requested('successRate') && !requested('failurePercentage')) {
    field.error('REQUIRED', 'set successRate, failurePercentage or both; each takes Envoy\'s defaults when written as {}')
    return undefined
  }
  return Object.freeze({
    intervalMs: readDuration(field.at('interval')) ?? DEFAULT_OUTLIER_INTERVAL_MS,
    successRate: requested('successRate') ? readSuccessRate(field.at('successRate')) : undefined,
    failurePercentage: requested('failurePercentage') ? readFailurePercentage(field.at('failurePercentage')) : undefined,
  })
}

function readSuccessRate(field: Field): SuccessRateEjection | undefined {
  if (field.present && !readObject(field, SUCCESS_RATE_FIELDS)) return undefined
  const stdevFactorThousandths = readUint32(field.at('stdevFactor')) ?? DEFAULT_SUCCESS_RATE.stdevFactorThousandths
  return Object.freeze({
    minimumHosts: readUint32(field.at('minimumHosts')) ?? DEFAULT_SUCCESS_RATE.minimumHosts,
    requestVolume: readUint32(field.at('requestVolume')) ?? DEFAULT_SUCCESS_RATE.requestVolume,
    stdevFactor: stdevFactorThousandths / 1000,
    enforcingPercent: readIntPercent(field.at('enforcementPercentage')) ?? DEFAULT_SUCCESS_RATE.enforcingPercent,
  })
}

function readFailurePercentage(field: Field): FailurePercentageEjection | undefined {
  if (field.present && !readObject(field, FAILURE_PERCENTAGE_FIELDS)) return undefined
  return Object.freeze({
    thresholdPercent: readIntPercent(field.at('threshold')) ?? DEFAULT_FAILURE_PERCENTAGE.thresholdPercent,
    minimumHosts: readUint32(field.at('minimumHosts')) ?? DEFAULT_FAILURE_PERCENTAGE.minimumHosts,
    requestVolume: readUint32(field.at('requestVolume')) ?? DEFAULT_FAILURE_PERCENTAGE.requestVolume,
    enforcingPercent: readIntPercent(field.at('enforcementPercentage')) ?? DEFAULT_FAILURE_PERCENTAGE.enforcingPercent,
  })
}
