import type { Field } from '../field.js'
import { readInt, readList, readObject } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { readGroup, readKindName, readNamespaceName, readObjectName } from '../common/gateway-api.js'
import { validateFilters } from './filters.js'

const MAX_BACKEND_REFS = 16
/** The API's bound on a backendRef weight. */
export const MAX_BACKEND_WEIGHT = 1_000_000

/** A BackendObjectReference: a name, and a port when it is a Service (the API's CEL rule). */
export function validateBackendObjectReference(field: Field, extraKeys: readonly string[] = []): void {
  if (!readObject(field, ['group', 'kind', 'name', 'namespace', 'port', ...extraKeys])) return
  const group = readGroup(field.at('group')) ?? ''
  const kind = readKindName(field.at('kind')) ?? 'Service'
  readObjectName(field.at('name'), 'backendRef name')
  readNamespaceName(field.at('namespace'))
  readPortNumber(field.at('port'))
  if (group === '' && kind === 'Service' && !field.at('port').present) {
    field.at('port').error('REQUIRED', 'port is required when the backend is a Service')
  }
}

/** `backendRefs`: at most 16, weights 0..1,000,000 (default 1), each with its own filters. */
export function validateBackendRefs(field: Field): void {
  const refs = readList(field)
  if (refs.length > MAX_BACKEND_REFS) field.error('RANGE', `at most ${MAX_BACKEND_REFS} backendRefs`)
  for (const ref of refs) {
    validateBackendObjectReference(ref, ['weight', 'filters'])
    readInt(ref.at('weight'), { min: 0, max: MAX_BACKEND_WEIGHT })
    validateFilters(ref.at('filters'), { onBackend: true })
  }
}
