import type { Field } from '../field.js'
import { readList, readString } from '../common/read.js'

/** What the parts of a VirtualService need to know about the whole. */
export interface VirtualServiceScope {
  /** Namespace of the VirtualService (`.` in exportTo stands for it). */
  readonly namespace: string
  /** No hosts: a delegate VirtualService, only reachable through a root's `delegate`. */
  readonly isDelegate: boolean
  /** `gateways` is listed and does not contain `mesh`: the rules never apply to sidecars (or meshlet). */
  readonly appliesToGatewayOnly: boolean
}

/** The reserved gateway name for every sidecar in the mesh (`istio:pkg/config/constants` IstioMeshGateway). */
export const MESH_GATEWAY = 'mesh'

/** A list of strings: each string with its field; non-strings are reported as TYPE and skipped. */
export function readStringList(field: Field): Array<{ value: string; field: Field }> {
  const out: Array<{ value: string; field: Field }> = []
  for (const item of readList(field)) {
    const value = readString(item)
    if (value !== undefined) out.push({ value, field: item })
  }
  return out
}

/** A list entry that is `null`: Istio rejects it ("http route may not be null"). */
export function reportNullItem(item: Field, what: string): boolean {
  if (item.value !== null) return false
  item.error('NULL_VALUE', `${what} must not be null; remove the empty entry`)
  return true
}

/** Length of a list value without reporting anything (0 when absent or not a list). */
export function listLength(field: Field): number {
  return Array.isArray(field.value) ? field.value.length : 0
}
