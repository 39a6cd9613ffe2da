import type { CallContext, MeshResponse, TryLayer, TryObserver, TryState } from '@meshlet/core'
import type { OutlierDetector } from './detector.js'
import type { OutlierPolicy, OutlierRegistry } from './registry.js'

export interface OutlierLayerOptions<Call extends CallContext> {
  readonly registry: OutlierRegistry
  /** The destination cluster and its outlier policies; undefined = nothing to record. */
  readonly clusterOf: (call: Call) => OutlierPolicy | undefined
}

/**
 * Records each try's verdict against its endpoint, below the balancer (which picked it): when the
 * try ends, what the verdict charges the endpoint with goes to the cluster's detector. It decides
 * nothing for the call; the detector ejects, the balancer (through the registry's channel) skips.
 * Envoy's DetectorHostMonitor fed by the router.
 */
export function createOutlierLayer<Call extends CallContext>(options: OutlierLayerOptions<Call>): TryLayer<Call> {
  const { registry, clusterOf } = options
  return (next) => (request, state) => {
    const policy = clusterOf(state.call)
    const detector = policy === undefined ? undefined : registry.detectorFor(policy)
    if (detector === undefined) return next(request, state)
    state.observe(recorderFor(detector))
    return next(request, state)
  }
}

const recorders = new WeakMap<OutlierDetector, TryObserver>()

/** What a try charges its endpoint with goes to the detector; one recorder per detector, shared by its tries. */
function recorderFor(detector: OutlierDetector): TryObserver {
  let recorder = recorders.get(detector)
  if (recorder === undefined) {
    recorder = {
      tryEnded(state: TryState, response: MeshResponse | undefined) {
        const endpoint = state.endpoint
        const verdict = state.verdict
        if (endpoint !== undefined && verdict !== undefined && detector.record(endpoint.id, verdict.endpoint)) {
          state.call.note({ kind: 'endpoint-ejected', attempt: state.attempt, endpoint: endpoint.id })
        }
        return response
      },
    }
    recorders.set(detector, recorder)
  }
  return recorder
}
