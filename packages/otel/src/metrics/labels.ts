import { isIpLiteral } from '@meshlet/core'

/**
 * The labels of Istio's request metrics, in the order an Istio client sidecar writes them (istio
 * proxy source/extensions/filters/http/istio_stats/istio_stats.cc, outbound reporter). Names and
 * value conventions are Istio's, so dashboards and Kiali queries written for Istio work unchanged.
 */
export const ISTIO_REQUEST_LABELS = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service_name',
  'destination_service_namespace',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const

export type IstioRequestLabel = (typeof ISTIO_REQUEST_LABELS)[number]

/**
 * Istio's values for what a proxy does not know (istio_stats.cc and the standard metrics reference,
 * istio.io docs/reference/config/metrics): `unknown` for a missing name, `latest` for a missing
 * canonical revision, an empty grpc status outside gRPC, `0` when no response code was sent, and
 * `unknown` security policy on the source side (a client cannot tell what the server enforced).
 */
export const ISTIO_LABEL_DEFAULTS = {
  unknown: 'unknown',
  canonicalRevision: 'latest',
  reporter: 'source',
  connectionSecurityPolicy: 'unknown',
  noGrpcStatus: '',
  /** destination_service_name of a call to a host the mesh does not know (Istio's passthrough cluster). */
  passthroughServiceName: 'PassthroughCluster',
} as const

/** Label keys Istio reads a workload's canonical service and revision from, in order (istio pkg/kube/labels). */
export const CANONICAL_NAME_LABELS = ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'] as const
export const CANONICAL_REVISION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'] as const
/** The label a WorkloadEntry may carry to name its workload (istio WorkloadNameFromWorkloadEntry). */
export const WORKLOAD_NAME_LABEL = 'service.istio.io/workload-name'

/** Who is calling: this process. */
export interface WorkloadIdentity {
  /** The workload's name (a Deployment's name in Kubernetes). */
  readonly workload?: string | undefined
  readonly namespace?: string | undefined
  /** The workload's labels (`app`, `version`, canonical service labels). */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** SPIFFE identity, when it has one (`cluster.local/ns/<ns>/sa/<account>`). */
  readonly principal?: string | undefined
  /** The cluster it runs in (Istio's CLUSTER_ID, `Kubernetes` by default in Istio). */
  readonly cluster?: string | undefined
}

/** Where a call went: the service and, once a try picked one, the endpoint's labels. */
export interface DestinationInput {
  /** The service host (FQDN), or the host as the caller wrote it for a passthrough call. */
  readonly service: string
  /** True for a host the mesh knows nothing about (Istio's PassthroughCluster). */
  readonly passthrough?: boolean | undefined
  /** The Kubernetes Service name; by default the first label of a `<name>.<ns>.svc.<domain>` host, else the host. */
  readonly serviceName?: string | undefined
  /** The service's namespace; by default read from a `<name>.<ns>.svc.<domain>` host. */
  readonly serviceNamespace?: string | undefined
  /** Labels of the endpoint that answered (undefined when no endpoint was reached). */
  readonly endpointLabels?: Readonly<Record<string, string>> | undefined
  readonly workload?: string | undefined
  readonly workloadNamespace?: string | undefined
  readonly principal?: string | undefined
  readonly cluster?: string | undefined
}

export type SourceLabels = Readonly<Record<
  'source_workload' | 'source_canonical_service' | 'source_canonical_revision' | 'source_workload_namespace' | 'source_principal' | 'source_app' | 'source_version' | 'source_cluster',
  string
>>

export type DestinationLabels = Readonly<Record<
  | 'destination_workload'
  | 'destination_workload_namespace'
  | 'destination_principal'
  | 'destination_app'
  | 'destination_version'
  | 'destination_service'
  | 'destination_canonical_service'
  | 'destination_canonical_revision'
  | 'destination_service_name'
  | 'destination_service_namespace'
  | 'destination_cluster',
  string
>>

const { unknown } = ISTIO_LABEL_DEFAULTS

/** The source_* labels of this process, with Istio's fallbacks. */
export function sourceLabels(identity: WorkloadIdentity = {}): SourceLabels {
  const labels = identity.labels ?? {}
  const workload = labelValue(identity.workload ?? labels[WORKLOAD_NAME_LABEL])
  return Object.freeze({
    source_workload: workload,
    source_canonical_service: canonicalService(labels, identity.workload),
    source_canonical_revision: canonicalRevision(labels),
    source_workload_namespace: labelValue(identity.namespace),
    source_principal: labelValue(identity.principal),
    source_app: labelValue(labels.app),
    source_version: labelValue(labels.version),
    source_cluster: labelValue(identity.cluster),
  })
}

/**
 * The destination_* labels of a call, with Istio's fallbacks. An Istio client learns the
 * destination workload from the peer's metadata; meshlet reads the endpoint's labels, which carry
 * the same values (`app`, `version`, canonical service). Pods of a Kubernetes Service live in its
 * namespace, so a reached endpoint of `<name>.<ns>.svc.<domain>` has workload namespace `<ns>`.
 * Addresses never become values: an IP literal reads `unknown`.
 */
export function destinationLabels(input: DestinationInput): DestinationLabels {
  const kubernetes = kubernetesServiceName(input.service)
  const labels = input.endpointLabels
  const reached = labels !== undefined
  const workload = input.workload ?? labels?.[WORKLOAD_NAME_LABEL]
  const serviceNamespace = input.serviceNamespace ?? kubernetes?.namespace
  return Object.freeze({
    destination_workload: labelValue(workload),
    destination_workload_namespace: labelValue(input.workloadNamespace ?? (reached ? kubernetes?.namespace : undefined)),
    destination_principal: labelValue(input.principal),
    destination_app: labelValue(labels?.app),
    destination_version: labelValue(labels?.version),
    destination_service: labelValue(input.service),
    destination_canonical_service: reached || workload !== undefined ? canonicalService(labels ?? {}, workload) : unknown,
    destination_canonical_revision: canonicalRevision(labels ?? {}),
    destination_service_name: input.passthrough === true
      ? ISTIO_LABEL_DEFAULTS.passthroughServiceName
      : labelValue(input.serviceName ?? kubernetes?.name ?? input.service),
    destination_service_namespace: labelValue(serviceNamespace),
    destination_cluster: labelValue(input.cluster),
  })
}

/** Istio's canonical service name: the first canonical-name label present, else the workload name. */
export function canonicalService(labels: Readonly<Record<string, string>>, workload: string | undefined): string {
  for (const key of CANONICAL_NAME_LABELS) if (labels[key] !== undefined) return labelValue(labels[key])
  return labelValue(workload)
}

/** Istio's canonical revision: the first canonical-revision label present, else `latest`. */
export function canonicalRevision(labels: Readonly<Record<string, string>>): string {
  for (const key of CANONICAL_REVISION_LABELS) if (labels[key] !== undefined) return labelValue(labels[key])
  return ISTIO_LABEL_DEFAULTS.canonicalRevision
}

/** A Kubernetes Service FQDN `<name>.<namespace>.svc.<domain>` split, or undefined for any other host. */
function kubernetesServiceName(host: string): { readonly name: string; readonly namespace: string } | undefined {
  const parts = host.split('.')
  if (parts.length < 4 || parts[2] !== 'svc' || parts[0] === '' || parts[1] === '') return undefined
  return { name: parts[0]!, namespace: parts[1]! }
}

/** A value as Istio writes it: `unknown` when missing or empty, and never an IP address. */
function labelValue(value: string | undefined): string {
  if (value === undefined || value === '' || isIpLiteral(value)) return unknown
  return value
}
