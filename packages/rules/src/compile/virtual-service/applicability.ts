import type { HTTPMatchRequest } from '../../spec/virtual-service.js'
import type { MeshIdentity } from '../snapshot.js'
import { labelsMatch } from '../visibility.js'

/** The reserved gateway name for sidecars; an in-process mesh is a sidecar (reference §2). */
export const MESH_GATEWAY = 'mesh'

/** A VirtualService with no `gateways` binds to `mesh`; with a list, only if the list names it. */
export function bindsToMesh(gateways: readonly string[] | undefined): boolean {
  return !gateways || gateways.length === 0 || gateways.includes(MESH_GATEWAY)
}

/**
 * Whether one match entry exists for this workload, decided once at compile time as Istio does
 * when it builds a sidecar's routes (`route.go` sourceMatchHTTP, reference §3): an entry with its
 * own `gateways` applies when they name `mesh` (and then Istio does not look at sourceLabels);
 * otherwise the VirtualService must bind to `mesh`, this workload's labels must include
 * `sourceLabels` and its namespace must equal `sourceNamespace` when given.
 */
export function matchApplies(match: HTTPMatchRequest, vsGateways: readonly string[] | undefined, identity: MeshIdentity): boolean {
  if (match.gateways && match.gateways.length > 0) return match.gateways.includes(MESH_GATEWAY)
  if (!bindsToMesh(vsGateways)) return false
  if (!labelsMatch(match.sourceLabels, identity.labels)) return false
  return !match.sourceNamespace || match.sourceNamespace === identity.namespace
}
