import type { StoredObject } from './object-store.js'

/** Builders of the objects meshlet reads, in the shape the real API serves them. */

export interface ServicePortSpec {
  readonly name?: string
  readonly port: number
  readonly targetPort?: number | string
  readonly protocol?: string
  readonly appProtocol?: string
}

export function serviceObject(namespace: string, name: string, ports: readonly ServicePortSpec[], selector?: Readonly<Record<string, string>>, type = 'ClusterIP'): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type, selector, ports: ports.map((port) => ({ protocol: 'TCP', ...port })), clusterIP: type === 'ClusterIP' ? '10.96.0.10' : undefined },
  }
}

export interface SliceEndpointSpec {
  readonly address: string
  readonly ready?: boolean
  readonly serving?: boolean
  readonly terminating?: boolean
  readonly podName?: string
  readonly nodeName?: string
  readonly zone?: string
}

export function endpointSliceObject(namespace: string, name: string, serviceName: string, ports: ReadonlyArray<{ readonly name?: string; readonly port: number }>, endpoints: readonly SliceEndpointSpec[]): StoredObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': serviceName, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports: ports.map((port) => ({ name: port.name ?? '', port: port.port, protocol: 'TCP' })),
    endpoints: endpoints.map((endpoint) => ({
      addresses: [endpoint.address],
      conditions: { ready: endpoint.ready ?? true, serving: endpoint.serving ?? endpoint.ready ?? true, terminating: endpoint.terminating ?? false },
      ...(endpoint.podName ? { targetRef: { kind: 'Pod', namespace, name: endpoint.podName } } : {}),
      ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}),
      ...(endpoint.zone ? { zone: endpoint.zone } : {}),
    })),
  }
}

export function podObject(namespace: string, name: string, labels: Readonly<Record<string, string>>, podIP: string, nodeName?: string): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { ...labels } },
    spec: { nodeName, containers: [{ name: 'app', image: 'meshlet/test' }] },
    status: { phase: 'Running', podIP },
  }
}

export function nodeObject(name: string, labels: Readonly<Record<string, string>>): StoredObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: {} }
}

/** An Istio resource (networking.istio.io), `version` v1 by default. */
export function istioObject(kind: 'VirtualService' | 'DestinationRule' | 'ServiceEntry' | 'WorkloadEntry', namespace: string, name: string, spec: unknown, version = 'v1'): StoredObject {
  return { apiVersion: `networking.istio.io/${version}`, kind, metadata: { name, namespace }, spec }
}
