import { randomUUID } from 'node:crypto'
import { MeshError } from '../errors/mesh-error.js'

/**
 * Which headers an inbound adapter hands on to outbound calls, beyond the mesh's own list (trace
 * headers plus every header a loaded VirtualService matches on).
 */
export interface PropagationOptions {
  /** Also hand these on (any case). */
  readonly add?: readonly string[]
  /** Never hand these on, even when a rule matches on them (any case). */
  readonly remove?: readonly string[]
}

/** The request id header; Envoy sets it to a fresh UUID v4 when a request arrives without one
 * (envoy docs: configuration/http/http_conn_man/headers, "x-request-id"). */
export const REQUEST_ID_HEADER = 'x-request-id'

/** A fresh request id as Envoy's default UUID request-id extension makes it (a UUID v4). */
export function generateRequestId(): string {
  return randomUUID()
}

/** An HTTP field name (RFC 9110 §5.6.2 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Returns a function giving the headers to hand on: the mesh's list plus `add`, minus `remove`.
 * The mesh hands out a new list only when its rules change (a reload), so the merge is redone
 * once per reload and each request reuses the same frozen array. Throws MESHLET_ERR_INVALID_ARGUMENT
 * for a name that is not an HTTP header name.
 */
export function propagationList(options: PropagationOptions = {}): (meshList: readonly string[]) => readonly string[] {
  const add = headerNames(options.add, 'add')
  const remove = new Set(headerNames(options.remove, 'remove'))
  let lastInput: readonly string[] | undefined
  let lastOutput: readonly string[] = []
  return (meshList) => {
    if (meshList !== lastInput) {
      lastInput = meshList
      lastOutput = Object.freeze([...new Set([...meshList, ...add])].filter((name) => !remove.has(name)))
    }
    return lastOutput
  }
}

function headerNames(names: readonly string[] | undefined, option: string): string[] {
  if (names === undefined) return []
  if (!Array.isArray(names)) throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `propagate.${option} must be an array of header names`)
  return names.map((name: unknown) => {
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `propagate.${option}: ${JSON.stringify(name)} is not an HTTP header name`)
    }
    return name.toLowerCase()
  })
}
