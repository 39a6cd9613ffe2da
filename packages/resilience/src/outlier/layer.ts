import type { Layer } from '@meshlet/core'
import type { CallAdapter } from '../call/adapter.js'
import type { OutlierPolicy, OutlierRegistry } from './registry.js'

export type OutlierAdapter<Req, Res, Ctx> = Pick<CallAdapter<Req, Res, Ctx>, 'responseOutcome' | 'failureOutcome' | 'cancellationOf'>

export interface OutlierLayerOptions<Req, Res, Ctx> {
  readonly adapter: OutlierAdapter<Req, Res, Ctx>
  readonly registry: OutlierRegistry
  /** The destination cluster and its outlier policies; undefined = nothing to record. */
  readonly clusterOf: (request: Req, context: Ctx) => OutlierPolicy | undefined
  /** The endpoint this try went to (set by the balancer above). */
  readonly endpointOf: (request: Req, context: Ctx) => string | undefined
}

/**
 * Records each try's outcome against its endpoint, below the balancer (which picked it) and right
 * above the transport. It decides nothing for the call; the detector ejects, the balancer skips.
 */
export function createOutlierLayer<Req, Res, Ctx>(options: OutlierLayerOptions<Req, Res, Ctx>): Layer<Req, Res, Ctx> {
  const { adapter, registry, clusterOf, endpointOf } = options
  return (next) => (request, context) => {
    const policy = clusterOf(request, context)
    const endpoint = policy === undefined ? undefined : endpointOf(request, context)
    const detector = endpoint === undefined ? undefined : registry.detectorFor(policy!)
    if (detector === undefined) return next(request, context)
    return next(request, context).then(
      (response) => {
        detector.record(endpoint!, adapter.responseOutcome(response))
        return response
      },
      (error: unknown) => {
        const failure = adapter.failureOutcome(error)
        if (failure !== undefined) detector.record(endpoint!, failure, adapter.cancellationOf(context, request)?.reason)
        throw error
      },
    )
  }
}
