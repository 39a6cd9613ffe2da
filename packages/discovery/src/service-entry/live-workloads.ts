import type { MeshEndpoint } from '@meshlet/core'
import type { DiscoveredView } from '../discovered/state.js'
import type { Workload } from '../discovered/types.js'
import { serviceEntryEndpoint } from './endpoint.js'
import type { ServiceEntryShape } from './shape.js'

interface Built {
  readonly version: number
  readonly selected: readonly Workload[]
  readonly endpoints: readonly MeshEndpoint[]
  /** The endpoint made from each workload, reused while the workload object is the same. */
  readonly byWorkload: WeakMap<Workload, MeshEndpoint>
}

/**
 * The endpoints of a STATIC ServiceEntry with a workloadSelector, with the WorkloadEntries that
 * registered live (etcd) added to those the rules compiled: Istio selects WorkloadEntries of the
 * entry's own namespace whose labels include every selector label (service_entry.proto
 * workloadSelector). Per entry and port, the answer stays the same array until the selection or a
 * selected workload changes, so unchanged registrations cost the balancer nothing.
 */
export class LiveWorkloadEndpoints {
  private readonly built = new WeakMap<ServiceEntryShape, Map<number, Built>>()

  constructor(private readonly view: DiscoveredView) {}

  /** `compiled` are the entry's endpoints without live workloads (StaticEndpoints' answer). */
  for(serviceEntry: ServiceEntryShape, servicePort: number, compiled: readonly MeshEndpoint[]): readonly MeshEndpoint[] {
    const selector = serviceEntry.workloadSelector
    const namespace = serviceEntry.ref?.namespace
    if (selector === undefined || namespace === undefined) return compiled
    const workloads = this.view.workloadsIn(namespace)
    if (workloads.version === 0) return compiled
    let byPort = this.built.get(serviceEntry)
    if (byPort === undefined) {
      byPort = new Map()
      this.built.set(serviceEntry, byPort)
    }
    const previous = byPort.get(servicePort)
    if (previous !== undefined && previous.version === workloads.version) return previous.endpoints
    const wanted = Object.entries(selector)
    const selected = workloads.list.filter((workload) => wanted.every(([key, value]) => workload.labels[key] === value))
    if (previous !== undefined && sameList(previous.selected, selected)) {
      byPort.set(servicePort, { ...previous, version: workloads.version })
      return previous.endpoints
    }
    const byWorkload = previous?.byWorkload ?? new WeakMap<Workload, MeshEndpoint>()
    const made = (workload: Workload) => {
      let endpoint = byWorkload.get(workload)
      if (endpoint === undefined) {
        endpoint = serviceEntryEndpoint(serviceEntry, workload, servicePort)
        byWorkload.set(workload, endpoint)
      }
      return endpoint
    }
    const endpoints = selected.length === 0 ? compiled : Object.freeze([...compiled, ...selected.map(made)])
    byPort.set(servicePort, { version: workloads.version, selected, endpoints, byWorkload })
    return endpoints
  }
}

function sameList(a: readonly Workload[], b: readonly Workload[]): boolean {
  return a.length === b.length && a.every((workload, index) => workload === b[index])
}
