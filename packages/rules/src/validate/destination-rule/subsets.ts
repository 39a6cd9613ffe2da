import type { Field } from '../field.js'
import { readList, readObject } from '../common/read.js'
import { readRequiredString } from '../common/required.js'
import { checkDns1123Label } from '../common/host.js'
import { validateLabelMap } from '../common/selector.js'
import { validateTrafficPolicy } from './traffic-policy.js'

const SUBSET_FIELDS = ['name', 'labels', 'trafficPolicy'] as const

/** Subsets: a unique DNS-1123 label name, Kubernetes labels, a traffic policy (`validation.go` validateSubset). */
export function validateSubsets(field: Field): void {
  const firstIndexByName = new Map<string, number>()
  readList(field).forEach((subset, index) => {
    if (!subset.present) {
      subset.error('REQUIRED', 'a subset may not be null; remove the empty list item')
      return
    }
    if (!readObject(subset, SUBSET_FIELDS)) return
    const nameField = subset.at('name')
    const name = readRequiredString(nameField, 'subset name is required, e.g. name: v1')
    if (name !== undefined) {
      const problem = checkDns1123Label(name)
      if (problem) nameField.error('DR_SUBSET_NAME_INVALID', `subset name is invalid: ${problem}`)
      const first = firstIndexByName.get(name)
      if (first !== undefined) nameField.error('DR_SUBSET_DUPLICATE', `duplicate subset name "${name}" (also subsets[${first}]); subset names must be unique`)
      else firstIndexByName.set(name, index)
    }
    validateLabelMap(subset.at('labels'))
    validateTrafficPolicy(subset.at('trafficPolicy'))
  })
}
