import { assertFidelity, compileResources, keepFirstByName, loadResources, parseSourcedObjects, parseText, snapshotOrThrow } from '@meshlet/rules'
import type { CompileResult, Diagnostic, MeshSnapshot, PipelineOptions, RawResource } from '@meshlet/rules'
import type { DiscoveredState } from '@meshlet/discovery'
import type { SnapshotExtras } from '../mesh/config.js'
import type { CreateMeshOptions } from '../mesh/options.js'
import { DEFAULT_MESH_OPTIONS } from '../mesh/options.js'

/**
 * Compiles the rules of every source: files and inline resources first, then what Kubernetes and
 * etcd hold (their documents named by origin: the API path of a custom resource, the etcd key),
 * with the Services Kubernetes declares as hosts with ports. One resource name means one rule:
 * files win over Kubernetes, which wins over etcd (RESOURCE_SHADOWED notes the losers). Throws
 * MeshConfigError listing every problem, exactly as for files; under `strict`, also on ignored fields.
 */
export async function compileWithDiscovered(options: CreateMeshOptions, state: DiscoveredState, liveWorkloads: boolean, extras: SnapshotExtras = {}): Promise<MeshSnapshot> {
  const snapshot = snapshotOrThrow(await compileDiscovered(options, state, liveWorkloads, extras))
  if (options.strict) assertFidelity(snapshot)
  return snapshot
}

/** What the rules input of a mesh is made of: files, inline rules, and how to compile them. */
export type RulesInput = Pick<CreateMeshOptions, 'files' | 'yaml' | 'resources' | 'namespace' | 'labels' | 'domain' | 'strict'>

/** The same compile, returning every finding instead of throwing (the CLI prints them). */
export async function compileDiscovered(options: RulesInput, state: DiscoveredState, liveWorkloads: boolean, extras: SnapshotExtras = {}): Promise<CompileResult> {
  const namespace = options.namespace ?? DEFAULT_MESH_OPTIONS.namespace
  const local = await loadResources({ files: options.files, yaml: options.yaml, resources: options.resources, namespace })
  const diagnostics: Diagnostic[] = [...local.diagnostics]
  const bySource: Record<'kubernetes' | 'etcd', RawResource[]> = { kubernetes: [], etcd: [] }
  let nextIndex = local.resources.length
  for (const document of state.rules()) {
    const parseOptions = { defaultNamespace: namespace, firstLoadIndex: nextIndex }
    const parsed = document.text !== undefined ? parseText(document.text, document.origin, parseOptions) : parseSourcedObjects([{ origin: document.origin, object: document.object }], parseOptions)
    nextIndex += parsed.resources.length
    bySource[document.source].push(...parsed.resources)
    diagnostics.push(...parsed.diagnostics)
  }
  const merged = keepFirstByName([local.resources, bySource.kubernetes, bySource.etcd])
  const pipeline: PipelineOptions = {
    namespace,
    labels: options.labels,
    domain: options.domain ?? DEFAULT_MESH_OPTIONS.domain,
    strict: options.strict,
    registryServices: state.services(),
    liveWorkloads,
    ...(extras.gateway === undefined ? {} : { gateway: extras.gateway }),
  }
  return compileResources(merged.resources, pipeline, [...diagnostics, ...merged.diagnostics], local.files)
}
