/** What compile needs to know about the service it runs in. */
export interface CompileOptions {
  /** Namespace this service runs in (short names in requests expand with it). Default `default`. */
  readonly namespace?: string
  /** This workload's labels, for `sourceLabels`. */
  readonly labels?: Readonly<Record<string, string>>
  /** Cluster DNS domain. Default `cluster.local`. */
  readonly domain?: string
}

/** Istio/Kubernetes defaults for the identity (Kubernetes' default namespace and cluster domain). */
export const DEFAULT_IDENTITY = { namespace: 'default', domain: 'cluster.local' } as const
