import type { Headers, HeaderOperations as HeaderOperationsSpec } from '../../spec/virtual-service.js'
import type { CompiledHeaders, HeaderOperations } from '../snapshot.js'

const NO_OPERATIONS: HeaderOperations = { set: {}, add: {}, remove: [] }
export const NO_HEADER_OPERATIONS: CompiledHeaders = { request: NO_OPERATIONS, response: NO_OPERATIONS }

export interface CompiledHeaderSpec {
  readonly headers: CompiledHeaders
  /** `:authority`/`host` in request set (preferred) or add: Istio turns it into a host rewrite. */
  readonly authority: string | undefined
}

/**
 * Istio's TranslateHeadersOperations (`route.go`): names lower-cased; pseudo-headers and `host` are
 * never sent as header operations; `:authority`/`host` in request set/add become an authority
 * rewrite instead (set wins over add).
 */
export function compileHeaders(spec: Headers | undefined): CompiledHeaderSpec {
  if (!spec) return { headers: NO_HEADER_OPERATIONS, authority: undefined }
  const request = operations(spec.request)
  const response = operations(spec.response)
  return {
    headers: { request: request.operations, response: response.operations },
    authority: request.setAuthority ?? request.addAuthority,
  }
}

function operations(spec: HeaderOperationsSpec | undefined): { operations: HeaderOperations; setAuthority?: string; addAuthority?: string } {
  if (!spec) return { operations: NO_OPERATIONS }
  const set = valueOperations(spec.set)
  const add = valueOperations(spec.add)
  const remove = (spec.remove ?? []).map((name) => name.toLowerCase()).filter((name) => !isInternalHeader(name))
  return { operations: { set: set.values, add: add.values, remove }, setAuthority: set.authority, addAuthority: add.authority }
}

function valueOperations(map: Record<string, string> | undefined): { values: Record<string, string>; authority?: string } {
  const values: Record<string, string> = {}
  let authority: string | undefined
  for (const [rawName, value] of Object.entries(map ?? {})) {
    const name = rawName.toLowerCase()
    if (name === ':authority' || name === 'host') authority = value
    if (!isInternalHeader(name)) values[name] = value
  }
  return { values, authority }
}

function isInternalHeader(lowerName: string): boolean {
  return lowerName.startsWith(':') || lowerName === 'host'
}
