import type { FieldPath } from '../../diagnostics/path.js'
import type { Inventory, VirtualServiceInfo } from '../inventory.js'
import type { Report } from '../finding.js'
import { refName } from '../finding.js'
import { asList, asRecord, asText } from '../read.js'

interface DelegateUse {
  readonly root: VirtualServiceInfo
  readonly path: FieldPath
}

/**
 * Delegation as Istio merges it (`istio:pilot/pkg/model/virtualservice.go`
 * mergeVirtualServicesIfNeeded): a root route's `delegate` names a VirtualService without hosts,
 * `namespace` defaulting to the root's; when it is not found, has hosts, or is not exported to the
 * root's namespace, Istio drops that route. One level only: a delegate's own `delegate` routes do
 * nothing. A delegate may serve several roots (Istio copies it into each); that is legal but easy to
 * do by accident, so it is reported too.
 */
export function checkDelegates(inventory: Inventory, report: Report): void {
  const byKey = new Map<string, VirtualServiceInfo>()
  for (const vs of inventory.virtualServices) byKey.set(`${vs.resource.namespace}/${vs.resource.name}`, vs)
  const uses = new Map<VirtualServiceInfo, DelegateUse[]>()

  for (const vs of inventory.virtualServices) {
    vs.http.forEach((entry, i) => {
      const delegate = asRecord(asRecord(entry)?.delegate)
      const name = asText(delegate?.name)
      if (!delegate || name === undefined) return
      const path: FieldPath = ['spec', 'http', i, 'delegate']
      if (vs.isDelegate) {
        report(vs.resource, path, 'ANALYSIS_DELEGATE_NESTED', `this VirtualService is a delegate (it has no hosts) and delegates again; Istio supports one level of delegation, so this route does nothing`)
        return
      }
      const namespace = asText(delegate.namespace) ?? vs.resource.namespace
      const key = `${namespace}/${name}`
      const target = byKey.get(key)
      if (!target) {
        report(vs.resource, [...path, 'name'], 'ANALYSIS_DELEGATE_NOT_FOUND', `delegate VirtualService ${key} is not in these files (istioctl analyze IST0101 ReferencedResourceNotFound); Istio drops this route until it exists`)
        return
      }
      if (!target.isDelegate) {
        report(vs.resource, [...path, 'name'], 'ANALYSIS_DELEGATE_HAS_HOSTS', `VirtualService ${key} has hosts, so it is a root and not a delegate; Istio only delegates to VirtualServices without hosts and drops this route`)
        return
      }
      if (!isExportedTo(target, vs.resource.namespace)) {
        report(vs.resource, [...path, 'name'], 'ANALYSIS_DELEGATE_NOT_EXPORTED', `delegate VirtualService ${key} is not exported to namespace ${vs.resource.namespace} (its exportTo is ${JSON.stringify(asList(asRecord(target.resource.spec)?.exportTo))}); Istio drops this route`)
        return
      }
      const list = uses.get(target) ?? []
      list.push({ root: vs, path })
      uses.set(target, list)
    })
  }

  for (const [delegate, list] of uses) {
    const roots = [...new Set(list.map((use) => use.root))]
    if (roots.length < 2) continue
    for (const use of list) {
      const others = roots.filter((root) => root !== use.root).map((root) => refName(root.resource))
      report(
        use.root.resource,
        [...use.path, 'name'],
        'ANALYSIS_DELEGATE_SHARED',
        `delegate VirtualService ${refName(delegate.resource)} is also used by ${others.join(', ')}; Istio merges its routes into every root that names it, so a change made for one host changes the others too`,
      )
    }
  }
}

function isExportedTo(delegate: VirtualServiceInfo, namespace: string): boolean {
  return delegate.exportScopes.includes('*') || delegate.exportScopes.includes(namespace)
}
