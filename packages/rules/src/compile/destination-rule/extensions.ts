import { parseMeshletExtensions } from '../../extensions/parse.js'

export interface DestinationRuleExtensions {
  /** meshlet.io/* annotations, validated, by name without the prefix (CompiledTrafficPolicy.extensions). */
  readonly extensions: Readonly<Record<string, unknown>>
  /** `meshlet.io/load-balancer: PEAK_EWMA` replaces the algorithm of every policy of the rule. */
  readonly peakEwma: boolean
}

/** Annotations that fail validation never reach compile, so problems are not reported again here. */
export function readExtensions(annotations: Readonly<Record<string, string>>): DestinationRuleExtensions {
  const { extensions } = parseMeshletExtensions(annotations)
  return { extensions, peakEwma: extensions.loadBalancer === 'PEAK_EWMA' }
}
