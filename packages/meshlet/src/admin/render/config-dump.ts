import { formatDiagnostic } from '@meshlet/rules'
import type { MeshSnapshot, ResourceRef } from '@meshlet/rules'

/**
 * Where a resource came from. Files and inline text (`createMesh({ yaml })`, `{ resources }`) are
 * the sources today; the Kubernetes and etcd variants are the shape those sources will report.
 */
export type ConfigSource =
  | { readonly type: 'file'; readonly file: string; readonly line: number; readonly column: number }
  | { readonly type: 'inline'; readonly origin: string; readonly line: number; readonly column: number }
  | { readonly type: 'kubernetes'; readonly namespace: string; readonly name: string; readonly resourceVersion: string | undefined }
  | { readonly type: 'etcd'; readonly key: string; readonly revision: number | undefined }

export interface ConfigDumpEntry {
  readonly kind: string
  readonly namespace: string
  readonly name: string
  readonly source: ConfigSource
  /** The resource as it was read (apiVersion, kind, metadata, spec). */
  readonly resource: unknown
  /** What meshlet compiled it into (hosts expanded, durations in ms, weights, policies per subset). */
  readonly compiled: unknown
}

export interface ConfigDump {
  readonly generation: number
  readonly identity: MeshSnapshot['identity']
  readonly configs: readonly ConfigDumpEntry[]
  /** Validation and analysis findings kept with the snapshot, as `meshlet validate` prints them. */
  readonly warnings: readonly string[]
}

/** /config_dump: every resource in force, as read and as compiled, with where it came from. */
export function configDump(snapshot: MeshSnapshot): ConfigDump {
  const compiledByRef = new Map<string, unknown>()
  const keyOf = (ref: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>) => `${ref.kind}/${ref.namespace}/${ref.name}`
  for (const service of snapshot.virtualServices) compiledByRef.set(keyOf(service.ref), { hosts: service.hosts, routes: service.routes })
  for (const rule of snapshot.destinationRules) {
    compiledByRef.set(keyOf(rule.ref), {
      host: rule.host,
      trafficPolicy: rule.policyFor(undefined, undefined),
      subsets: rule.subsets.map((subset) => ({ name: subset.name, labels: subset.labels, trafficPolicy: rule.policyFor(subset.name, undefined) })),
      mergedFrom: rule.mergedFrom,
    })
  }
  for (const entry of snapshot.serviceEntries) {
    compiledByRef.set(keyOf(entry.ref), { hosts: entry.hosts, addresses: entry.addresses, ports: entry.ports, location: entry.location, resolution: entry.resolution, endpoints: entry.endpoints })
  }
  const configs = snapshot.resources.map((resource): ConfigDumpEntry => {
    const position = resource.locate([])
    const source: ConfigSource = resource.file.startsWith('<')
      ? { type: 'inline', origin: resource.file, line: position.line, column: position.column }
      : { type: 'file', file: resource.file, line: position.line, column: position.column }
    return {
      kind: resource.kind,
      namespace: resource.namespace,
      name: resource.name,
      source,
      resource: resource.object,
      compiled: compiledByRef.get(keyOf(resource)),
    }
  })
  return {
    generation: snapshot.generation,
    identity: snapshot.identity,
    configs,
    warnings: snapshot.diagnostics.map((diagnostic) => `${diagnostic.severity}: ${formatDiagnostic(diagnostic)}`),
  }
}

/** JSON of a config dump: functions (matchers, policy lookups) are left out, regexes written as their source. */
export function configDumpJson(dump: ConfigDump): string {
  return JSON.stringify(dump, (_key, value: unknown) => (typeof value === 'function' ? undefined : value instanceof RegExp ? value.source : value), 2)
}
