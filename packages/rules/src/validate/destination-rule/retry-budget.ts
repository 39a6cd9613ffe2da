import type { Field } from '../field.js'
import { readObject, readUint32 } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readBoundedNumber } from '../common/number.js'

/**
 * `retryBudget` (Envoy retry budget): percent is a plain number 0..100 (a DoubleValue, not
 * `{value: …}`), minRetryConcurrency a uint32, budgetInterval a duration that may be `0s`
 * (CRD: duration-validation none; reference §13, §17).
 */
export function validateRetryBudget(field: Field): void {
  if (!readObject(field, ['percent', 'minRetryConcurrency', 'budgetInterval'])) return
  readBoundedNumber(field.at('percent'), 0, 100, ' such as 20 (write percent: 20, not {value: 20})')
  readUint32(field.at('minRetryConcurrency'))
  readDuration(field.at('budgetInterval'), { allowZero: true })
}
