/** What compile needs to know about the service it runs in. */
export interface CompileOptions {
  /** Namespace this service runs in (short names in requests expand with it). Default `default`. */
  readonly namespace?: string
  /** This workload's labels, for `sourceLabels`. */
  readonly labels?: Readonly<Record<string, string>>
  /** Cluster DNS domain. Default `cluster.local`. */
  readonly domain?: string
  /**
   * The gateway this process implements (createGateway): `namespace/name` of an Istio Gateway or a
   * Gateway API Gateway, or the labels of this gateway workload, which select Istio Gateways by
   * their `selector` as Istio does. The snapshot then carries its route tables.
   */
  readonly gateway?: GatewaySelection
  /**
   * Services a service registry declares (Kubernetes Services from discovery): each host becomes
   * known with its ports, as Istio's Kubernetes registry makes it, so rules and aliases resolve.
   */
  readonly registryServices?: readonly RegistryService[]
  /**
   * WorkloadEntries also arrive from a live source (etcd registrations), so a workloadSelector
   * selecting none of the loaded ones is not a finding: instances register later.
   */
  readonly liveWorkloads?: boolean
}

/**
 * A service declared by a registry rather than by a rule: Istio builds the same model.Service
 * from a Kubernetes Service as from a ServiceEntry (`istio:pilot/pkg/serviceregistry/kube/conversion.go`).
 * Its endpoints are not here: they change without a recompile.
 */
export interface RegistryService {
  /** `name.namespace.svc.<domain>`. */
  readonly host: string
  readonly kind: string
  readonly namespace: string
  readonly name: string
  /** Where it came from (for example the API path of the Kubernetes Service), shown in diagnostics. */
  readonly origin: string
  readonly ports: ReadonlyArray<{ readonly number: number; readonly name: string; readonly protocol: string; readonly targetPort: number | undefined }>
  /** STATIC: endpoints come from the registry; DNS: the `dnsName` is resolved (a Kubernetes ExternalName). */
  readonly resolution: 'STATIC' | 'DNS'
  /** The name a DNS service resolves (ExternalName). */
  readonly dnsName?: string | undefined
}

/** `namespace/name`, or workload labels (Istio's Gateway `selector` picks the Gateways). */
export type GatewaySelection = string | Readonly<Record<string, string>>

/** Istio/Kubernetes defaults for the identity (Kubernetes' default namespace and cluster domain). */
export const DEFAULT_IDENTITY = { namespace: 'default', domain: 'cluster.local' } as const
