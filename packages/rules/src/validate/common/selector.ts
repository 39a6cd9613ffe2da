import type { Field } from '../field.js'
import { checkLabelKey, checkLabelValue } from './labels.js'
import { readMap, readString } from './read.js'

/**
 * A label map (subset labels, endpoint labels): Kubernetes key and value syntax, as Istio's
 * `labels.Instance.Validate` checks it.
 */
export function validateLabelMap(field: Field): void {
  for (const [key, valueField] of readMap(field)) {
    const keyProblem = checkLabelKey(key)
    if (keyProblem) valueField.error('LABEL_INVALID', keyProblem)
    const value = readString(valueField)
    if (value === undefined) continue
    const valueProblem = checkLabelValue(value)
    if (valueProblem) valueField.error('LABEL_INVALID', valueProblem)
  }
}

const MAX_SELECTOR_VALUE_LENGTH = 63

/**
 * The label map of a workload selector (DestinationRule `workloadSelector.matchLabels`,
 * ServiceEntry `workloadSelector.labels`): keys must not be empty and neither keys nor values may
 * contain `*` (`validation.go` validateWorkloadSelector, ValidateAlphaWorkloadSelector). An empty
 * selector is accepted with a warning, because it selects every workload of the namespace.
 */
export function validateSelectorLabels(field: Field, emptyWarning: string): void {
  const entries = readMap(field)
  const isMap = typeof field.value === 'object' && field.value !== null && !Array.isArray(field.value)
  if (entries.length === 0 && (!field.present || isMap)) {
    field.warn('SELECTOR_WITHOUT_LABELS', emptyWarning)
  }
  for (const [key, valueField] of entries) {
    if (key === '') valueField.error('SELECTOR_INVALID', 'an empty label key is not supported in a workload selector')
    if (key.includes('*')) valueField.error('SELECTOR_INVALID', `wildcard "*" is not supported in a workload selector label key ("${key}")`)
    const value = readString(valueField)
    if (value === undefined) continue
    if (value.includes('*')) valueField.error('SELECTOR_INVALID', `wildcard "*" is not supported in a workload selector label value ("${value}"); list the exact value`)
    else if (value.length > MAX_SELECTOR_VALUE_LENGTH) valueField.error('SELECTOR_INVALID', `label value is longer than ${MAX_SELECTOR_VALUE_LENGTH} characters`)
  }
}
