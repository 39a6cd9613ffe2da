import type { Field } from '../field.js'
import { readList, readObject } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { readGroup, readKindName, readNamespaceName, readObjectName, readSectionName } from '../common/gateway-api.js'

const MAX_PARENT_REFS = 32

/** `spec.parentRefs`: 1..32 references (a Gateway by default, or a Service for GAMMA), each with a name. */
export function validateParentRefs(field: Field): void {
  const refs = readList(field)
  if (refs.length > MAX_PARENT_REFS) field.error('RANGE', `at most ${MAX_PARENT_REFS} parentRefs`)
  const seen = new Map<string, number>()
  refs.forEach((ref, index) => {
    if (!readObject(ref, ['group', 'kind', 'namespace', 'name', 'sectionName', 'port'])) return
    const group = readGroup(ref.at('group'))
    const kind = readKindName(ref.at('kind'))
    const namespace = readNamespaceName(ref.at('namespace'))
    const name = readObjectName(ref.at('name'), 'parentRefs name')
    const section = readSectionName(ref.at('sectionName'))
    const port = readPortNumber(ref.at('port'))
    const key = [group, kind, namespace, name, section, port].join('|')
    const first = seen.get(key)
    if (first !== undefined) ref.error('PARENT_REF_DUPLICATE', `the same parent as parentRefs[${first}]; each parentRef must be distinct`)
    else seen.set(key, index)
  })
}
