import type { ValidationInput } from '../context.js'
import { readList, readObject } from '../common/read.js'
import { readGroup, readKindName, readNamespaceName, readObjectName } from '../common/gateway-api.js'

/**
 * A ReferenceGrant (`gwapi:apis/v1beta1/referencegrant_types.go`): `from` (group, kind, namespace)
 * and `to` (group, kind, optional name), each 1..16 entries, every field but `to.name` required.
 */
export function validateReferenceGrant({ root }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, ['from', 'to'])) return
  for (const key of ['from', 'to'] as const) {
    const list = readList(spec.at(key))
    if (list.length === 0) spec.at(key).error('REQUIRED', `${key} needs at least one entry`)
    if (list.length > 16) spec.at(key).error('RANGE', `${key} may have at most 16 entries`)
    for (const entry of list) {
      if (!readObject(entry, key === 'from' ? ['group', 'kind', 'namespace'] : ['group', 'kind', 'name'])) continue
      if (!entry.at('group').present) entry.at('group').error('REQUIRED', 'group is required ("" for the core group)')
      readGroup(entry.at('group'))
      if (!entry.at('kind').present) entry.at('kind').error('REQUIRED', 'kind is required')
      readKindName(entry.at('kind'))
      if (key === 'from') {
        if (!entry.at('namespace').present) entry.at('namespace').error('REQUIRED', 'namespace is required')
        readNamespaceName(entry.at('namespace'))
      } else {
        readObjectName(entry.at('name'), 'name', false)
      }
    }
  }
}
