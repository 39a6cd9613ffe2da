import { assertFidelity, compileMeshConfig, loadSnapshotFile } from '@meshlet/rules'
import type { GatewaySelection, MeshSnapshot } from '@meshlet/rules'
import type { CreateMeshOptions } from './options.js'
import { DEFAULT_MESH_OPTIONS } from './options.js'

/** Longest stretch a reload's validation or compile holds the event loop (a call in flight waits at most about this long). */
const RELOAD_SLICE_MS = 4

/** Compile options that are not createMesh options: the gateway a createGateway snapshot is built for. */
export interface SnapshotExtras {
  readonly gateway?: GatewaySelection
}

/**
 * Reads and compiles every source of rules named in the options. Throws MeshConfigError listing
 * every problem when Istio would reject something; with `strict`, also on any analysis finding
 * and on any field in use that meshlet ignores (MESHLET_ERR_FIDELITY_STRICT).
 */
export async function loadSnapshot(options: CreateMeshOptions, extras: SnapshotExtras = {}, when: 'start' | 'reload' = 'start'): Promise<MeshSnapshot> {
  // A reload runs while calls are served: validation and compile give the event loop back often
  // (a slice ends only after 4 ms, so small rule sets run at once), and files are remembered
  // document by document so the next reload reads only what changed.
  const sliceMs = when === 'reload' ? RELOAD_SLICE_MS : undefined
  const gateway = extras.gateway === undefined ? {} : { gateway: extras.gateway }
  const snapshot = options.snapshot !== undefined ? await loadPrecompiled(options.snapshot, options, sliceMs, extras) : await compileMeshConfig({
    files: options.files,
    yaml: options.yaml,
    resources: options.resources,
    namespace: options.namespace ?? DEFAULT_MESH_OPTIONS.namespace,
    labels: options.labels,
    domain: options.domain ?? DEFAULT_MESH_OPTIONS.domain,
    strict: options.strict,
    sliceMs,
    ...gateway,
  })
  if (options.strict) assertFidelity(snapshot)
  return snapshot
}

/** A `meshlet compile` file: compiled for this workload with no parser and no validator loaded. */
function loadPrecompiled(file: string, options: CreateMeshOptions, sliceMs: number | undefined, extras: SnapshotExtras): Promise<MeshSnapshot> {
  return loadSnapshotFile(file, {
    sliceMs,
    namespace: options.namespace ?? DEFAULT_MESH_OPTIONS.namespace,
    labels: options.labels,
    domain: options.domain ?? DEFAULT_MESH_OPTIONS.domain,
    strict: options.strict,
    ...(extras.gateway === undefined ? {} : { gateway: extras.gateway }),
  })
}
