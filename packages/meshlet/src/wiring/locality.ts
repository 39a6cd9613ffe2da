import { withTopologyLabels, TOPOLOGY_LABELS } from '@meshlet/discovery'

/**
 * Where Istio takes a workload's locality from, in its order (istio/istio pilot/pkg/model
 * GetLocalityLabel, SanitizeLocalityLabel; istio.io docs "Locality Load Balancing"): the pod label
 * `topology.istio.io/locality`, then the older `istio-locality`, both written with dots because
 * Kubernetes label values cannot hold `/`; otherwise the node's `topology.kubernetes.io/region` and
 * `zone` labels with `topology.istio.io/subzone`. The sidecar sees the pod labels through the
 * `ISTIO_METAJSON_LABELS` environment variable (JSON), which Istio's injector sets.
 */
const LOCALITY_LABELS = ['topology.istio.io/locality', 'istio-locality'] as const
export const LOCALITY_ENV = 'ISTIO_METAJSON_LABELS'

/**
 * This mesh's locality: the `locality` option, else the `labels` option read as Istio reads pod
 * labels, else the labels in `ISTIO_METAJSON_LABELS`; undefined when none says (locality-aware
 * balancing then treats every endpoint as remote, as Envoy does for a node without locality).
 */
export function meshLocality(
  option: string | undefined,
  labels: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return option ?? localityFromLabels(labels) ?? localityFromLabels(labelsFromEnv(env))
}

/** The labels the balancer compares for failoverPriority: the mesh's labels plus its topology labels, as Istio augments the proxy's. */
export function meshLabels(labels: Readonly<Record<string, string>>, locality: string | undefined): Readonly<Record<string, string>> {
  return withTopologyLabels(labels, locality)
}

export function localityFromLabels(labels: Readonly<Record<string, string>>): string | undefined {
  for (const name of LOCALITY_LABELS) {
    const value = labels[name]
    if (value) return value.includes('/') ? value : value.replaceAll('.', '/')
  }
  const region = labels[TOPOLOGY_LABELS.region]
  if (!region) return undefined
  const zone = labels[TOPOLOGY_LABELS.zone]
  const subzone = labels[TOPOLOGY_LABELS.subzone]
  return [region, zone ?? '', subzone ?? ''].join('/').replace(/\/+$/, '')
}

/** The pod labels in ISTIO_METAJSON_LABELS; a value that is not a JSON object of strings is ignored, as a missing one is. */
function labelsFromEnv(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string>> {
  const text = env[LOCALITY_ENV]
  if (!text) return {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  } catch {
    return {}
  }
}
