import type { Locality } from './locality.js'

/** What priority assignment reads of an endpoint. */
export interface PriorityInput {
  readonly locality: Locality
  readonly labels: Readonly<Record<string, string>>
}

export interface FailoverSettings {
  readonly local: Locality
  readonly localLabels: Readonly<Record<string, string>>
  readonly failover: ReadonlyArray<{ readonly from: string; readonly to: string }>
  readonly failoverPriority: readonly string[]
}

/**
 * Istio's locality priorities (pilot/pkg/networking/core/loadbalancer/loadbalancer.go
 * `applyLocalityFailover`): same region, zone and subzone 0; same region and zone 1; same region 2;
 * elsewhere 3, or 4 when a `failover` entry from our region names another region.
 */
export function localityPriority(local: Locality, endpoint: Locality, failover: FailoverSettings['failover']): number {
  if (local.region === endpoint.region) {
    if (local.zone === endpoint.zone) return local.subzone === endpoint.subzone ? 0 : 1
    return 2
  }
  for (const rule of failover) {
    if (rule.from === local.region) return endpoint.region === rule.to ? 3 : 4
  }
  return 3
}

/**
 * Istio's `failoverPriority` (`applyFailoverPriorityPerLocality`): with n labels, an endpoint whose
 * first differing label is the j-th gets priority n - j; one matching every label gets 0. `key=value`
 * compares with the fixed value instead of this workload's label.
 */
export function labelPriority(
  labels: Readonly<Record<string, string>>,
  localLabels: Readonly<Record<string, string>>,
  failoverPriority: readonly string[],
): number {
  const count = failoverPriority.length
  for (let index = 0; index < count; index++) {
    const entry = failoverPriority[index]!
    const separator = entry.indexOf('=')
    const name = separator < 0 ? entry : entry.slice(0, separator)
    const wanted = separator < 0 ? localLabels[name] : entry.slice(separator + 1)
    if (wanted !== labels[name]) return count - index
  }
  return 0
}

/**
 * Priority per endpoint, compacted to 0..N without gaps as Envoy requires. With `failoverPriority`
 * (and labels of our own to compare) the label priority comes first and the locality priority only
 * breaks ties when `failover` is also given, as in Istio's `ApplyLocalityLoadBalancer`.
 */
export function assignPriorities(endpoints: readonly PriorityInput[], settings: FailoverSettings): number[] {
  const useLabels = settings.failoverPriority.length > 0 && Object.keys(settings.localLabels).length > 0
  const useLocality = settings.failoverPriority.length === 0 || settings.failover.length > 0
  const raw = endpoints.map((endpoint) => {
    const byLabels = useLabels ? labelPriority(withTopologyLabels(endpoint), settings.localLabels, settings.failoverPriority) : 0
    const byLocality = useLocality ? localityPriority(settings.local, endpoint.locality, settings.failover) : 0
    // Five locality levels fit under each label level (Istio multiplies by 5 too).
    return byLabels * 5 + byLocality
  })
  const levels = [...new Set(raw)].sort((a, b) => a - b)
  return raw.map((value) => levels.indexOf(value))
}

/** Kubernetes topology labels derived from the locality when the endpoint does not carry them. */
export const TOPOLOGY_LABELS = {
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
} as const

export function withTopologyLabels(input: PriorityInput): Readonly<Record<string, string>> {
  const { labels, locality } = input
  if (TOPOLOGY_LABELS.region in labels || locality.region === '') return labels
  return {
    [TOPOLOGY_LABELS.region]: locality.region,
    [TOPOLOGY_LABELS.zone]: locality.zone,
    [TOPOLOGY_LABELS.subzone]: locality.subzone,
    ...labels,
  }
}
