/**
 * The ServiceEntry shape discovery reads (the rules package's CompiledServiceEntry fits it):
 * discovery does not import the rules package, it declares what it needs.
 */
export interface ServiceEntryShape {
  readonly hosts: readonly string[]
  readonly ports: readonly ServicePortShape[]
  readonly resolution: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS'
  /** Inline endpoints plus the WorkloadEntries its workloadSelector chose. */
  readonly endpoints: readonly WorkloadEndpointShape[]
  /**
   * True when the entry has a workloadSelector: its endpoints are the workloads it selects, even
   * none, and a DNS entry then never resolves its own host (`conversion.go` convertServiceEntryToInstances).
   */
  readonly selectsWorkloads?: boolean
  /** The selector, so WorkloadEntries registered live (etcd) are selected too, in the entry's namespace. */
  readonly workloadSelector?: Readonly<Record<string, string>> | undefined
  readonly ref?: { readonly namespace: string }
}

export interface ServicePortShape {
  readonly number: number
  readonly name: string
  readonly targetPort: number | undefined
}

export interface WorkloadEndpointShape {
  readonly address: string
  /** Service port name → this endpoint's port. */
  readonly ports: Readonly<Record<string, number>>
  readonly labels: Readonly<Record<string, string>>
  readonly locality: string | undefined
  readonly weight: number
  /** The WorkloadEntry `network` (becomes the topology.istio.io/network label). */
  readonly network?: string | undefined
  /**
   * The port for every service port the `ports` map does not name: `mesh.register({ port })`
   * writes it as the `meshlet.io/port` annotation of its WorkloadEntry.
   */
  readonly defaultPort?: number | undefined
}
