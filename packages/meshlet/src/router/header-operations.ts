import type { MeshResponseHeaders } from '@meshlet/core'
import type { HeaderOperations } from '@meshlet/rules'

/** Host is not a header here (the request's authority is); rules turn `host`/`:authority` sets into an authority rewrite. */
const AUTHORITY_NAMES = new Set(['host', ':authority'])

/**
 * Applies VirtualService header operations to request headers, in Envoy's order
 * (header_parser.cc evaluateHeaders: removals first, then additions): `remove` deletes, `set`
 * overwrites or adds, `add` appends to an existing value. Returns the same object when there is
 * nothing to do, a copy otherwise.
 */
export function applyRequestOperations(headers: Readonly<Record<string, string>>, operations: HeaderOperations): Readonly<Record<string, string>> {
  if (isEmpty(operations)) return headers
  const out: Record<string, string> = { ...headers }
  for (const name of operations.remove) delete out[name]
  for (const name in operations.set) if (!AUTHORITY_NAMES.has(name)) out[name] = operations.set[name]!
  for (const name in operations.add) {
    if (AUTHORITY_NAMES.has(name)) continue
    const existing = out[name]
    out[name] = existing === undefined ? operations.add[name]! : `${existing}, ${operations.add[name]!}`
  }
  return out
}

/** The same for response headers, where an added value becomes one more header line. */
export function applyResponseOperations(headers: MeshResponseHeaders, operations: HeaderOperations): MeshResponseHeaders {
  if (isEmpty(operations)) return headers
  const out: Record<string, string | readonly string[]> = { ...headers }
  for (const name of operations.remove) delete out[name]
  for (const name in operations.set) out[name] = operations.set[name]!
  for (const name in operations.add) {
    const existing = out[name]
    const value = operations.add[name]!
    out[name] = existing === undefined ? value : typeof existing === 'string' ? [existing, value] : [...existing, value]
  }
  return out
}

export function isEmpty(operations: HeaderOperations): boolean {
  return operations.remove.length === 0 && isEmptyObject(operations.set) && isEmptyObject(operations.add)
}

function isEmptyObject(value: Readonly<Record<string, string>>): boolean {
  for (const _ in value) return false
  return true
}
