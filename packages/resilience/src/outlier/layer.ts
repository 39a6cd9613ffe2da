import type { CallContext, TryLayer } from '@meshlet/core'
import type { OutlierPolicy, OutlierRegistry } from './registry.js'

export interface OutlierLayerOptions<Call extends CallContext> {
  readonly registry: OutlierRegistry
  /** The destination cluster and its outlier policies; undefined = nothing to record. */
  readonly clusterOf: (call: Call) => OutlierPolicy | undefined
}

/**
 * Records each try's verdict against its endpoint, below the balancer (which picked it) and above
 * the classifier: what the verdict charges the endpoint with goes to the cluster's detector. It
 * decides nothing for the call; the detector ejects, the balancer (through the registry's channel)
 * skips. Envoy's DetectorHostMonitor fed by the router.
 */
export function createOutlierLayer<Call extends CallContext>(options: OutlierLayerOptions<Call>): TryLayer<Call> {
  const { registry, clusterOf } = options
  return (next) => (request, state) => {
    const policy = clusterOf(state.call)
    const detector = policy === undefined ? undefined : registry.detectorFor(policy)
    if (detector === undefined) return next(request, state)
    const record = (): void => {
      const endpoint = state.endpoint
      const verdict = state.verdict
      if (endpoint !== undefined && verdict !== undefined) detector.record(endpoint.id, verdict.endpoint)
    }
    return next(request, state).then(
      (response) => {
        record()
        return response
      },
      (error: unknown) => {
        record()
        throw error
      },
    )
  }
}
