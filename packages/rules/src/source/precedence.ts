import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from './resource.js'

/**
 * Resources read from several sources, given in precedence order (meshlet passes files and
 * inline resources, then Kubernetes, then etcd): when a later source holds a resource of the same
 * kind, namespace and name as an earlier one, the earlier one is kept and the later one dropped
 * with an info finding naming both, so one name never means two rules. Within one source nothing
 * is dropped: duplicates there are the validator's business, as for files.
 */
export function keepFirstByName(sources: ReadonlyArray<readonly RawResource[]>): { resources: RawResource[]; diagnostics: Diagnostic[] } {
  const kept = new Map<string, RawResource>()
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  for (const source of sources) {
    const fromThisSource = new Map<string, RawResource>()
    for (const resource of source) {
      const key = `${resource.kind}/${resource.namespace}/${resource.name}`
      const winner = kept.get(key)
      if (winner !== undefined) {
        diagnostics.push({
          severity: 'info',
          code: 'RESOURCE_SHADOWED',
          message: `${resource.kind} ${resource.namespace}/${resource.name} is also defined by ${winner.file}, which takes precedence (files and inline resources, then Kubernetes, then etcd); this one is ignored`,
          ...resource.locate([]),
          path: [],
          resource: { kind: resource.kind, namespace: resource.namespace, name: resource.name },
        })
        continue
      }
      fromThisSource.set(key, resource)
      resources.push(resource)
    }
    for (const [key, resource] of fromThisSource) kept.set(key, resource)
  }
  return { resources, diagnostics }
}
