import { parseMeshletExtensions } from '../../extensions/parse.js'
import type { ExtensionLoadBalancer } from '../../extensions/types.js'

export interface DestinationRuleExtensions {
  /** meshlet.io/* annotations, validated, by name without the prefix (CompiledTrafficPolicy.extensions). */
  readonly extensions: Readonly<Record<string, unknown>>
  /** `meshlet.io/load-balancer` replaces the algorithm of every policy of the rule. */
  readonly loadBalancerOverride: ExtensionLoadBalancer | undefined
  /** `meshlet.io/peak-ewma` decay, carried on every compiled load balancer of the rule. */
  readonly peakEwmaDecayMs: number | undefined
}

/** Annotations that fail validation never reach compile, so problems are not reported again here. */
export function readExtensions(annotations: Readonly<Record<string, string>>): DestinationRuleExtensions {
  const { extensions } = parseMeshletExtensions(annotations)
  return { extensions, loadBalancerOverride: extensions.loadBalancer, peakEwmaDecayMs: extensions.peakEwma?.decayMs }
}
