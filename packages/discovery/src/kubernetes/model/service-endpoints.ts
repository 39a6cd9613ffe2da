import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import type { ServiceDeclaration } from '../../discovered/types.js'
import { withTopologyLabels } from '../../topology-labels.js'
import type { ParsedSlice } from './endpoint-slices.js'
import { endpointLocality } from './locality.js'
import type { NodeTopology } from './locality.js'

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({})

/** A pod's labels as last seen, frozen, and the same object while they do not change. */
interface PodLabels {
  readonly labels: Readonly<Record<string, string>>
}

/** What one slice contributes, per port name, with the inputs it was built from. */
interface BuiltSlice {
  readonly byPortName: ReadonlyMap<string, readonly MeshEndpoint[]>
  /** Endpoints by id, reused by the next build when nothing about them changed. */
  readonly byId: ReadonlyMap<string, MeshEndpoint>
}

interface ServiceRecord {
  declaration: ServiceDeclaration | undefined
  readonly slices: Map<string, ParsedSlice>
  /** What was last published, per service port, and for which host. */
  published: ReadonlyMap<number, readonly MeshEndpoint[]> | undefined
  publishedHost: string | undefined
}

/** Where built endpoints go: the discovered state (setEndpoints), keyed by host. */
export interface EndpointsPublisher {
  setEndpoints(host: string, byPort: ReadonlyMap<number, readonly MeshEndpoint[]> | undefined): void
}

/**
 * Builds each Service's endpoints per service port from its EndpointSlices, its pods' labels and
 * its nodes' topology, incrementally: a change marks the services it touches, and `flush()`
 * rebuilds only the slices whose inputs changed (a slice's endpoints are cached until the slice,
 * one of its pods or one of its nodes changes), then publishes a new list only for the ports whose
 * endpoints really changed. The service port is matched to the slice port of the same name, as
 * the EndpointSlice controller names them and Istio matches them.
 */
export class ServiceEndpoints {
  private readonly services = new Map<string, ServiceRecord>()
  private readonly pods = new Map<string, PodLabels>()
  private readonly nodes = new Map<string, NodeTopology>()
  private readonly built = new Map<string, BuiltSlice>()
  private readonly slicesByPod = new Map<string, Set<string>>()
  private readonly slicesByNode = new Map<string, Set<string>>()
  private readonly serviceOfSlice = new Map<string, string>()
  private readonly dirty = new Set<string>()
  /** Pod labels with topology labels added, per labels object and locality: one object per pod and place. */
  private readonly withTopology = new WeakMap<Readonly<Record<string, string>>, Map<string, Readonly<Record<string, string>>>>()

  constructor(private readonly publisher: EndpointsPublisher) {}

  /** Services with changes not yet published. */
  get pending(): number {
    return this.dirty.size
  }

  setService(serviceKey: string, declaration: ServiceDeclaration | undefined): void {
    const record = this.record(serviceKey)
    if (declaration === undefined && record.declaration === undefined) return
    record.declaration = declaration
    this.dirty.add(serviceKey)
  }

  upsertSlice(slice: ParsedSlice): void {
    const previousService = this.serviceOfSlice.get(slice.key)
    if (previousService !== undefined && previousService !== slice.serviceKey) this.removeSlice(slice.key)
    const record = this.record(slice.serviceKey)
    const previous = record.slices.get(slice.key)
    if (previous !== undefined && previous.resourceVersion !== undefined && previous.resourceVersion === slice.resourceVersion) return
    if (previous !== undefined) this.unindex(previous)
    record.slices.set(slice.key, slice)
    this.serviceOfSlice.set(slice.key, slice.serviceKey)
    this.index(slice)
    this.invalidate(slice.key)
  }

  removeSlice(sliceKey: string): void {
    const serviceKey = this.serviceOfSlice.get(sliceKey)
    if (serviceKey === undefined) return
    const record = this.services.get(serviceKey)
    const slice = record?.slices.get(sliceKey)
    if (slice !== undefined) this.unindex(slice)
    record?.slices.delete(sliceKey)
    this.serviceOfSlice.delete(sliceKey)
    this.built.delete(sliceKey)
    this.built.delete(`${sliceKey}#previous`)
    this.dirty.add(serviceKey)
  }

  /** A pod's labels (from its metadata); only a real change rebuilds the slices it is in. */
  setPod(podKey: string, labels: Readonly<Record<string, string>> | undefined): void {
    const previous = this.pods.get(podKey)
    if (labels === undefined) {
      if (previous === undefined) return
      this.pods.delete(podKey)
    } else {
      if (previous !== undefined && sameLabels(previous.labels, labels)) return
      this.pods.set(podKey, { labels: Object.freeze({ ...labels }) })
    }
    for (const sliceKey of this.slicesByPod.get(podKey) ?? []) this.invalidate(sliceKey)
  }

  setNode(nodeName: string, topology: NodeTopology | undefined): void {
    const previous = this.nodes.get(nodeName)
    if (topology === undefined) {
      if (previous === undefined) return
      this.nodes.delete(nodeName)
    } else {
      if (previous !== undefined && previous.region === topology.region && previous.zone === topology.zone && previous.subzone === topology.subzone) return
      this.nodes.set(nodeName, topology)
    }
    for (const sliceKey of this.slicesByNode.get(nodeName) ?? []) this.invalidate(sliceKey)
  }

  /** Rebuilds and publishes every service with pending changes. */
  flush(): void {
    for (const serviceKey of this.dirty) this.publish(serviceKey)
    this.dirty.clear()
  }

  private publish(serviceKey: string): void {
    const record = this.services.get(serviceKey)
    if (record === undefined) return
    const declaration = record.declaration
    if (declaration === undefined || declaration.resolution !== 'STATIC') {
      // No Service (deleted, or not seen yet) or an ExternalName: no endpoints from slices.
      if (record.publishedHost !== undefined) this.publisher.setEndpoints(record.publishedHost, undefined)
      record.published = undefined
      record.publishedHost = undefined
      if (declaration === undefined && record.slices.size === 0) this.services.delete(serviceKey)
      return
    }
    const sliceKeys = [...record.slices.keys()].sort()
    const builtSlices = sliceKeys.map((key) => this.buildSlice(record.slices.get(key)!))
    const next = new Map<number, readonly MeshEndpoint[]>()
    let changed = record.published === undefined || record.published.size !== declaration.ports.length
    for (const port of declaration.ports) {
      const fresh = collect(builtSlices, port.name)
      const previous = record.published?.get(port.number)
      if (previous !== undefined && sameEndpoints(previous, fresh)) {
        next.set(port.number, previous)
      } else {
        next.set(port.number, fresh)
        changed = true
      }
    }
    if (!changed) return
    record.published = next
    record.publishedHost = declaration.host
    this.publisher.setEndpoints(declaration.host, next)
  }

  private buildSlice(slice: ParsedSlice): BuiltSlice {
    const cached = this.built.get(slice.key)
    if (cached !== undefined) return cached
    const previous = this.built.get(`${slice.key}#previous`)
    const byId = new Map<string, MeshEndpoint>()
    const byPortName = new Map<string, MeshEndpoint[]>()
    for (const [portName, port] of slice.ports) {
      const list: MeshEndpoint[] = []
      for (const endpoint of slice.endpoints) {
        const podLabels = endpoint.podKey === undefined ? NO_LABELS : (this.pods.get(endpoint.podKey)?.labels ?? NO_LABELS)
        const node = endpoint.nodeName === undefined ? undefined : this.nodes.get(endpoint.nodeName)
        const locality = endpointLocality(podLabels, node, endpoint.zone)
        const labels = this.topologyLabels(podLabels, locality)
        const id = endpointId(endpoint.address, port)
        const reused = previous?.byId.get(id)
        const made = reused !== undefined && reused.locality === locality && sameLabels(reused.labels, labels) ? reused : Object.freeze({ id, address: endpoint.address, port, labels, locality, weight: 1 })
        byId.set(id, made)
        list.push(made)
      }
      byPortName.set(portName, list)
    }
    const built: BuiltSlice = { byPortName, byId }
    this.built.delete(`${slice.key}#previous`)
    this.built.set(slice.key, built)
    return built
  }

  private topologyLabels(podLabels: Readonly<Record<string, string>>, locality: string | undefined): Readonly<Record<string, string>> {
    if (locality === undefined) return podLabels
    let byLocality = this.withTopology.get(podLabels)
    if (byLocality === undefined) {
      byLocality = new Map()
      this.withTopology.set(podLabels, byLocality)
    }
    let labels = byLocality.get(locality)
    if (labels === undefined) {
      labels = withTopologyLabels(podLabels, locality)
      byLocality.set(locality, labels)
    }
    return labels
  }

  /** Drops a slice's cached build (keeping it aside so unchanged endpoints keep their objects) and marks its service. */
  private invalidate(sliceKey: string): void {
    const cached = this.built.get(sliceKey)
    if (cached !== undefined) {
      this.built.delete(sliceKey)
      this.built.set(`${sliceKey}#previous`, cached)
    }
    const serviceKey = this.serviceOfSlice.get(sliceKey)
    if (serviceKey !== undefined) this.dirty.add(serviceKey)
  }

  private record(serviceKey: string): ServiceRecord {
    let record = this.services.get(serviceKey)
    if (record === undefined) {
      record = { declaration: undefined, slices: new Map(), published: undefined, publishedHost: undefined }
      this.services.set(serviceKey, record)
    }
    return record
  }

  private index(slice: ParsedSlice): void {
    for (const endpoint of slice.endpoints) {
      if (endpoint.podKey !== undefined) addTo(this.slicesByPod, endpoint.podKey, slice.key)
      if (endpoint.nodeName !== undefined) addTo(this.slicesByNode, endpoint.nodeName, slice.key)
    }
  }

  private unindex(slice: ParsedSlice): void {
    for (const endpoint of slice.endpoints) {
      if (endpoint.podKey !== undefined) removeFrom(this.slicesByPod, endpoint.podKey, slice.key)
      if (endpoint.nodeName !== undefined) removeFrom(this.slicesByNode, endpoint.nodeName, slice.key)
    }
  }
}

/** The endpoints of every slice for one port name, an endpoint listed in two slices (mid-move) once. */
function collect(slices: readonly BuiltSlice[], portName: string): readonly MeshEndpoint[] {
  const lists = slices.map((slice) => slice.byPortName.get(portName)).filter((list): list is readonly MeshEndpoint[] => list !== undefined && list.length > 0)
  if (lists.length === 1) return Object.freeze([...lists[0]!])
  const seen = new Set<string>()
  const out: MeshEndpoint[] = []
  for (const list of lists) {
    for (const endpoint of list) {
      if (seen.has(endpoint.id)) continue
      seen.add(endpoint.id)
      out.push(endpoint)
    }
  }
  return Object.freeze(out)
}

function sameEndpoints(a: readonly MeshEndpoint[], b: readonly MeshEndpoint[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys) if (a[key] !== b[key]) return false
  return true
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key)
  if (set === undefined) {
    set = new Set()
    index.set(key, set)
  }
  set.add(value)
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key)
  if (set === undefined) return
  set.delete(value)
  if (set.size === 0) index.delete(key)
}
