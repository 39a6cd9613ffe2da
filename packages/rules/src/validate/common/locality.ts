/**
 * Locality patterns `region/zone/subzone` as Istio's locality load balancing checks them
 * (`agent/validation.go` validateLocalities, getLocalityParam): no empty segment, at most one `*`
 * and only at the end, and no pattern overlapping an earlier one in the same list (`us-east/*`
 * after `us-east` covers the same endpoints twice).
 */

interface LocalityParts {
  readonly region: string
  readonly zone: string | undefined
  readonly subzone: string | undefined
}

const ANY = '*'

/** Splits like Go's strings.SplitN(locality, "/", 3): the subzone keeps any further slashes. */
function splitLocality(locality: string): LocalityParts | undefined {
  const first = locality.indexOf('/')
  const second = first === -1 ? -1 : locality.indexOf('/', first + 1)
  const region = first === -1 ? locality : locality.slice(0, first)
  const zone = first === -1 ? undefined : second === -1 ? locality.slice(first + 1) : locality.slice(first + 1, second)
  const subzone = second === -1 ? undefined : locality.slice(second + 1)
  if (region === '' || zone === '' || subzone === '') return undefined
  return { region, zone, subzone }
}

/** One pattern's own syntax. Returns an error message or undefined. */
export function checkLocalityPattern(locality: string): string | undefined {
  const stars = locality.split(ANY).length - 1
  if (stars > 1 || (stars === 1 && !locality.endsWith(ANY))) {
    return `locality "${locality}" may contain at most one "*" and only at the end, e.g. "us-east/*"`
  }
  if (!splitLocality(locality)) return `locality "${locality}" must not contain an empty region, zone or subzone`
  return undefined
}

/**
 * Checks a list of patterns; returns the problems by index. Overlap follows Istio's bookkeeping:
 * a region (or `region/*`) claims the whole region, `region/zone` (or `region/zone/*`) the zone.
 */
export function findLocalityProblems(localities: readonly string[]): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = []
  // region → zone → subzone; ANY marks "everything below is taken".
  const claimed = new Map<string, Map<string, Set<string>>>()
  localities.forEach((locality, index) => {
    const syntax = checkLocalityPattern(locality)
    if (syntax) {
      problems.push({ index, message: syntax })
      return
    }
    const overlap = () => problems.push({ index, message: `locality "${locality}" overlaps one listed before it` })
    if (claimed.has(ANY)) return void overlap()
    const { region, zone, subzone } = splitLocality(locality)!
    const zones = claimed.get(region)
    if (zone === undefined) {
      if (zones) return void overlap()
      claimed.set(region, new Map([[ANY, new Set([ANY])]]))
      return
    }
    if (zones?.has(ANY)) return void overlap()
    const regionZones = zones ?? new Map<string, Set<string>>()
    claimed.set(region, regionZones)
    const subzones = regionZones.get(zone)
    if (subzone === undefined) {
      if (subzones) return void overlap()
      regionZones.set(zone, new Set([ANY]))
      return
    }
    if (subzones?.has(ANY) || subzones?.has(subzone)) return void overlap()
    regionZones.set(zone, (subzones ?? new Set()).add(subzone))
  })
  return problems
}
