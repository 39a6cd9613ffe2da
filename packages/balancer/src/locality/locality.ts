/** A locality as Istio writes it: `region/zone/subzone`, any part possibly empty. */
export interface Locality {
  readonly region: string
  readonly zone: string
  readonly subzone: string
}

export const UNKNOWN_LOCALITY: Locality = Object.freeze({ region: '', zone: '', subzone: '' })

export function parseLocality(text: string | undefined): Locality {
  if (text === undefined || text === '') return UNKNOWN_LOCALITY
  const [region = '', zone = '', subzone = ''] = text.split('/')
  return { region, zone, subzone }
}

export function formatLocality(locality: Locality): string {
  if (locality.subzone !== '') return `${locality.region}/${locality.zone}/${locality.subzone}`
  if (locality.zone !== '') return `${locality.region}/${locality.zone}`
  return locality.region
}

/**
 * Istio's `LocalityMatch` (pilot/pkg/networking/util): a `*` part, or a missing zone or subzone,
 * matches anything; other parts must be equal. `us-east` therefore covers every zone of us-east.
 */
export function localityMatches(pattern: string, locality: Locality): boolean {
  const rule = parseLocality(pattern)
  if (rule.region !== '*' && rule.region !== locality.region) return false
  if (rule.zone !== '*' && rule.zone !== '' && rule.zone !== locality.zone) return false
  if (rule.subzone !== '*' && rule.subzone !== '' && rule.subzone !== locality.subzone) return false
  return true
}
