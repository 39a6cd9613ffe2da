import { endpointId, isIpAddress } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { endpointPort } from '../service-entry/ports.js'
import { withTopologyLabels } from '../topology-labels.js'
import type { ServiceEntryShape, WorkloadEndpointShape } from '../service-entry/shape.js'
import type { DnsCache } from './dns-cache.js'

interface Built {
  /** The address arrays the endpoints were built from (same objects while DNS answers are unchanged). */
  readonly sources: ReadonlyArray<readonly string[]>
  readonly endpoints: readonly MeshEndpoint[]
}

/**
 * Endpoints of a `resolution: DNS` (or DNS_ROUND_ROBIN) ServiceEntry: each endpoint address is
 * resolved (IP literals are used as they are), or, with neither endpoints nor a workloadSelector,
 * the host itself. Every
 * address answered becomes an endpoint carrying the labels and ports of the entry it came from.
 * DNS_ROUND_ROBIN keeps only the first address of each name (Envoy LOGICAL_DNS connects to one).
 * The same array is returned while the answers do not change, so pickers keep their state.
 */
export class DnsEndpoints {
  private readonly built = new WeakMap<ServiceEntryShape, Map<string, Built>>()

  constructor(private readonly dns: DnsCache) {}

  for(serviceEntry: ServiceEntryShape, host: string, servicePort: number): readonly MeshEndpoint[] | Promise<readonly MeshEndpoint[]> {
    const named: ReadonlyArray<{ readonly name: string; readonly entry: WorkloadEndpointShape | undefined }> =
      serviceEntry.endpoints.length > 0 || serviceEntry.selectsWorkloads === true
        ? serviceEntry.endpoints.map((entry) => ({ name: entry.address, entry }))
        : [{ name: host, entry: undefined }]
    const answers = named.map(({ name }) => (isIpAddress(name) ? [name] : this.dns.addresses(name)))
    if (answers.some((answer) => answer instanceof Promise)) {
      return Promise.all(answers).then((resolved) => this.build(serviceEntry, host, servicePort, named, resolved))
    }
    return this.build(serviceEntry, host, servicePort, named, answers as ReadonlyArray<readonly string[]>)
  }

  private build(
    serviceEntry: ServiceEntryShape,
    host: string,
    servicePort: number,
    named: ReadonlyArray<{ readonly name: string; readonly entry: WorkloadEndpointShape | undefined }>,
    sources: ReadonlyArray<readonly string[]>,
  ): readonly MeshEndpoint[] {
    let byKey = this.built.get(serviceEntry)
    if (byKey === undefined) {
      byKey = new Map()
      this.built.set(serviceEntry, byKey)
    }
    const key = `${host}|${servicePort}`
    const previous = byKey.get(key)
    if (previous !== undefined && previous.sources.length === sources.length && previous.sources.every((s, i) => s === sources[i])) {
      return previous.endpoints
    }
    const firstOnly = serviceEntry.resolution === 'DNS_ROUND_ROBIN'
    const endpoints: MeshEndpoint[] = []
    named.forEach(({ entry }, index) => {
      const addresses = sources[index] ?? []
      const port = endpointPort(serviceEntry, entry, servicePort)
      for (const address of firstOnly ? addresses.slice(0, 1) : addresses) {
        endpoints.push(
          Object.freeze({
            id: endpointId(address, port),
            address,
            port,
            labels: withTopologyLabels(entry?.labels ?? {}, entry?.locality, entry?.network),
            locality: entry?.locality,
            weight: entry !== undefined && entry.weight > 0 ? entry.weight : 1,
          }),
        )
      }
    })
    const frozen = Object.freeze(endpoints)
    byKey.set(key, { sources, endpoints: frozen })
    return frozen
  }
}
