/** `api:networking/v1alpha3/service_entry.proto` and `workload_entry.proto`, as validated input. */
export interface ServiceEntrySpec {
  hosts: string[]
  addresses?: string[]
  ports?: ServicePort[]
  location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL'
  resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS'
  endpoints?: WorkloadEntrySpec[]
  workloadSelector?: { labels?: Record<string, string> }
  exportTo?: string[]
  subjectAltNames?: string[]
}

export interface ServicePort {
  number: number
  protocol?: string
  name: string
  targetPort?: number
}

export interface WorkloadEntrySpec {
  address?: string
  ports?: Record<string, number>
  labels?: Record<string, string>
  network?: string
  locality?: string
  weight?: number
  serviceAccount?: string
}
