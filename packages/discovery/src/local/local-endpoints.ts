import { endpointId } from '@meshlet/core'
import type { MeshEndpoint } from '@meshlet/core'
import { withTopologyLabels } from '../topology-labels.js'

/** One endpoint given in the `endpoints` option of createMesh (local development, tests). */
export interface LocalEndpoint {
  readonly address: string
  /** The port the endpoint listens on; default the service port the request addressed. */
  readonly port?: number
  readonly labels?: Readonly<Record<string, string>>
  /** `region/zone/subzone`. */
  readonly locality?: string
  readonly weight?: number
}

/**
 * The `endpoints` option: host → endpoints, with host names written like rule hosts (a name with
 * no dot expands to `<name>.<namespace>.svc.<domain>`, istio pilot/pkg/model/config.go
 * ResolveShortnameToFQDN). These win over ServiceEntry endpoints for the same host.
 */
export class LocalEndpoints {
  private readonly byHost = new Map<string, readonly LocalEndpoint[]>()
  private readonly built = new Map<string, Map<number, readonly MeshEndpoint[]>>()

  constructor(endpoints: Readonly<Record<string, readonly LocalEndpoint[]>>, namespace: string, domain: string) {
    for (const [name, list] of Object.entries(endpoints)) {
      this.byHost.set(expandShortName(name, namespace, domain), list)
    }
  }

  has(host: string): boolean {
    return this.byHost.has(host)
  }

  /** Endpoints of `host` for a service port, or undefined when the option does not name the host. */
  for(host: string, servicePort: number): readonly MeshEndpoint[] | undefined {
    const list = this.byHost.get(host)
    if (list === undefined) return undefined
    let byPort = this.built.get(host)
    if (byPort === undefined) {
      byPort = new Map()
      this.built.set(host, byPort)
    }
    let endpoints = byPort.get(servicePort)
    if (endpoints === undefined) {
      endpoints = Object.freeze(
        list.map((entry) => {
          const port = entry.port ?? servicePort
          return Object.freeze({
            id: endpointId(entry.address, port),
            address: entry.address,
            port,
            labels: withTopologyLabels(entry.labels ?? {}, entry.locality),
            locality: entry.locality,
            weight: entry.weight !== undefined && entry.weight > 0 ? entry.weight : 1,
          })
        }),
      )
      byPort.set(servicePort, endpoints)
    }
    return endpoints
  }
}

/** A rule-style host name to its FQDN: names without a dot get the namespace and cluster domain. */
export function expandShortName(name: string, namespace: string, domain: string): string {
  const lower = name.toLowerCase()
  if (lower.includes('.') || lower === '*' || lower.includes(':')) return lower
  return `${lower}.${namespace}.svc.${domain}`
}
