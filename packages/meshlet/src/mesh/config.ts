import { assertFidelity, compileMeshConfig } from '@meshlet/rules'
import type { GatewaySelection, MeshSnapshot } from '@meshlet/rules'
import type { CreateMeshOptions } from './options.js'
import { DEFAULT_MESH_OPTIONS } from './options.js'

/**
 * Reads and compiles every source of rules named in the options. Throws MeshConfigError listing
 * every problem when Istio would reject something; with `strict`, also on any analysis finding
 * and on any field in use that meshlet ignores (MESHLET_ERR_FIDELITY_STRICT).
 */
export async function loadSnapshot(options: CreateMeshOptions, extras: SnapshotExtras = {}): Promise<MeshSnapshot> {
  const snapshot = await compileMeshConfig({
    files: options.files,
    yaml: options.yaml,
    resources: options.resources,
    namespace: options.namespace ?? DEFAULT_MESH_OPTIONS.namespace,
    labels: options.labels,
    domain: options.domain ?? DEFAULT_MESH_OPTIONS.domain,
    strict: options.strict,
    ...(extras.gateway === undefined ? {} : { gateway: extras.gateway }),
  })
  if (options.strict) assertFidelity(snapshot)
  return snapshot
}

/** Compile options that are not createMesh options: the gateway a createGateway snapshot is built for. */
export interface SnapshotExtras {
  readonly gateway?: GatewaySelection
}
