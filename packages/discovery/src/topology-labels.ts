/**
 * Istio's topology labels, which Istio adds to every endpoint's labels from its locality and
 * network so that DestinationRule subsets (and failoverPriority) can select on them (istio/istio
 * pkg/config/labels AugmentLabels; istio.io/latest/docs/reference/config/labels).
 */
export const TOPOLOGY_LABELS = {
  region: 'topology.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  subzone: 'topology.istio.io/subzone',
  network: 'topology.istio.io/network',
} as const

/**
 * The endpoint's labels with its topology labels added: region, zone and subzone from the locality
 * (`region/zone/subzone`) replace any label of the same name, as in Istio; the network label is
 * only added when the endpoint has none. The same object comes back when there is nothing to add,
 * so endpoints without locality cost nothing. Built once per endpoint list, never per request.
 */
export function withTopologyLabels(labels: Readonly<Record<string, string>>, locality: string | undefined, network?: string | undefined): Readonly<Record<string, string>> {
  if (!locality && !network) return labels
  const out: Record<string, string> = { ...labels }
  const [region, zone, subzone] = (locality ?? '').split('/')
  if (region) out[TOPOLOGY_LABELS.region] = region
  if (zone) out[TOPOLOGY_LABELS.zone] = zone
  if (subzone) out[TOPOLOGY_LABELS.subzone] = subzone
  if (network && out[TOPOLOGY_LABELS.network] === undefined) out[TOPOLOGY_LABELS.network] = network
  return Object.freeze(out)
}
