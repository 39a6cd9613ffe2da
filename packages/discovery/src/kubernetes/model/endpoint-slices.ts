import type { KubeObject } from '../informer/object.js'

/** The EndpointSlice label naming its Service (kubernetes.io/docs/concepts/services-networking/endpoint-slices). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** One usable endpoint of a slice, read once when the slice arrives. */
export interface SliceEndpoint {
  readonly address: string
  /** `namespace/name` of the Pod behind it (targetRef), if any. */
  readonly podKey: string | undefined
  readonly nodeName: string | undefined
  readonly zone: string | undefined
}

/** An EndpointSlice reduced to what routing needs. */
export interface ParsedSlice {
  /** `namespace/sliceName`. */
  readonly key: string
  /** `namespace/serviceName`, from the kubernetes.io/service-name label. */
  readonly serviceKey: string
  readonly resourceVersion: string | undefined
  /** Endpoint port by port name ('' for an unnamed port); a slice with no ports serves none. */
  readonly ports: ReadonlyMap<string, number>
  readonly endpoints: readonly SliceEndpoint[]
}

/**
 * Reads a discovery.k8s.io/v1 EndpointSlice, keeping only the endpoints Istio sends traffic to by
 * default: `conditions.ready` not false (unset means ready, per the API) and not terminating
 * (Istio's sidecars drop terminating endpoints unless persistent sessions ask for them). Of an
 * endpoint's addresses the first is used: the API says they are fungible and consumers may use
 * the first only. Slices without the service-name label belong to no Service and are skipped.
 */
export function parseSlice(slice: KubeObject): ParsedSlice | undefined {
  const namespace = slice.metadata.namespace ?? 'default'
  const serviceName = slice.metadata.labels?.[SERVICE_NAME_LABEL]
  if (!serviceName) return undefined
  const ports = new Map<string, number>()
  if (Array.isArray(slice.ports)) {
    for (const port of slice.ports as Array<Record<string, unknown>>) {
      if (typeof port?.port === 'number') ports.set(typeof port.name === 'string' ? port.name : '', port.port)
    }
  }
  const endpoints: SliceEndpoint[] = []
  if (Array.isArray(slice.endpoints)) {
    for (const endpoint of slice.endpoints as Array<Record<string, unknown>>) {
      const conditions = (endpoint?.conditions ?? {}) as { ready?: unknown; terminating?: unknown }
      if (conditions.ready === false || conditions.terminating === true) continue
      const address = Array.isArray(endpoint.addresses) && typeof endpoint.addresses[0] === 'string' ? endpoint.addresses[0] : undefined
      if (address === undefined) continue
      const targetRef = endpoint.targetRef as { kind?: unknown; name?: unknown; namespace?: unknown } | undefined
      const podKey = targetRef?.kind === 'Pod' && typeof targetRef.name === 'string' ? `${typeof targetRef.namespace === 'string' ? targetRef.namespace : namespace}/${targetRef.name}` : undefined
      endpoints.push({
        address,
        podKey,
        nodeName: typeof endpoint.nodeName === 'string' ? endpoint.nodeName : undefined,
        zone: typeof endpoint.zone === 'string' ? endpoint.zone : undefined,
      })
    }
  }
  return { key: `${namespace}/${slice.metadata.name}`, serviceKey: `${namespace}/${serviceName}`, resourceVersion: slice.metadata.resourceVersion, ports, endpoints }
}
