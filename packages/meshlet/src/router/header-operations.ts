import { hostname } from 'node:os'
import type { MeshResponseHeaders } from '@meshlet/core'
import type { HeaderOperations } from '@meshlet/rules'

const resolvedOperations = new WeakMap<HeaderOperations, HeaderOperations>()

/**
 * Header values as Envoy sends them: `%%` is a literal `%`, and `%HOSTNAME%` is this machine's
 * name (envoy docs, "Custom request/response headers"). Other command operators are sent as
 * written (the fidelity report says so). Done once per compiled operations object.
 */
function resolved(operations: HeaderOperations): HeaderOperations {
  let out = resolvedOperations.get(operations)
  if (out === undefined) {
    out = { set: resolveValues(operations.set), add: resolveValues(operations.add), remove: operations.remove }
    resolvedOperations.set(operations, out)
  }
  return out
}

function resolveValues(values: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined
  for (const name in values) {
    const value = values[name]!
    if (!value.includes('%')) continue
    out ??= { ...values }
    out[name] = value.replace(/%%|%HOSTNAME%/g, (token) => (token === '%%' ? '%' : hostname()))
  }
  return out ?? values
}

/** Host is not a header here (the request's authority is); rules turn `host`/`:authority` sets into an authority rewrite. */
const AUTHORITY_NAMES = new Set(['host', ':authority'])

/**
 * Applies VirtualService header operations to request headers, in Envoy's order
 * (header_parser.cc evaluateHeaders: removals first, then additions): `remove` deletes, `set`
 * overwrites or adds, `add` appends to an existing value. Returns the same object when there is
 * nothing to do, a copy otherwise.
 */
export function applyRequestOperations(headers: Readonly<Record<string, string>>, compiled: HeaderOperations): Readonly<Record<string, string>> {
  if (isEmpty(compiled)) return headers
  const operations = resolved(compiled)
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
export function applyResponseOperations(headers: MeshResponseHeaders, compiled: HeaderOperations): MeshResponseHeaders {
  if (isEmpty(compiled)) return headers
  const operations = resolved(compiled)
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
