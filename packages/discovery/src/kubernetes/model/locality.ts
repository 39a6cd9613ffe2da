/** Node labels Istio reads a workload's locality from (istio.io/latest/docs/tasks/traffic-management/locality-load-balancing). */
export const LOCALITY_LABELS = {
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
  /** Deprecated Kubernetes labels, still set on older clusters. */
  legacyRegion: 'failure-domain.beta.kubernetes.io/region',
  legacyZone: 'failure-domain.beta.kubernetes.io/zone',
  /** A pod label that overrides the node's locality; `.` separates its parts since `/` is not allowed in label values. */
  podOverride: 'istio-locality',
} as const

/** What a node says about where it is. */
export interface NodeTopology {
  readonly region: string | undefined
  readonly zone: string | undefined
  readonly subzone: string | undefined
}

export function nodeTopology(labels: Readonly<Record<string, string>>): NodeTopology {
  return {
    region: labels[LOCALITY_LABELS.region] ?? labels[LOCALITY_LABELS.legacyRegion],
    zone: labels[LOCALITY_LABELS.zone] ?? labels[LOCALITY_LABELS.legacyZone],
    subzone: labels[LOCALITY_LABELS.subzone],
  }
}

/**
 * `region/zone/subzone` of an endpoint: the pod's `istio-locality` label when set, else its
 * node's labels, the zone falling back to the EndpointSlice's `zone`. Undefined when nothing is known.
 */
export function endpointLocality(podLabels: Readonly<Record<string, string>> | undefined, node: NodeTopology | undefined, sliceZone: string | undefined): string | undefined {
  const override = podLabels?.[LOCALITY_LABELS.podOverride]
  if (override) return override.replaceAll('.', '/')
  const region = node?.region ?? ''
  const zone = node?.zone ?? sliceZone ?? ''
  const subzone = node?.subzone ?? ''
  if (region === '' && zone === '' && subzone === '') return undefined
  return subzone !== '' ? `${region}/${zone}/${subzone}` : `${region}/${zone}`
}
