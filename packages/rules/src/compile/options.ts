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
}

/** `namespace/name`, or workload labels (Istio's Gateway `selector` picks the Gateways). */
export type GatewaySelection = string | Readonly<Record<string, string>>

/** Istio/Kubernetes defaults for the identity (Kubernetes' default namespace and cluster domain). */
export const DEFAULT_IDENTITY = { namespace: 'default', domain: 'cluster.local' } as const
