import { bodyBytes, failureOutcome, responseHeader, whenBodyDone } from '@meshlet/core'
import type { CallContext, CallLayer, FailureReason, MeshRequest, MeshResponse, TryLayer, TryObserver, TryState } from '@meshlet/core'
import type { Span } from '@opentelemetry/api'
import type { MeshMetrics } from '../metrics/mesh-metrics.js'
import { NO_ENDPOINT, PairCache } from '../metrics/pair-cache.js'
import type { DestinationSeries } from '../metrics/request-metrics.js'
import type { DescribeRoute } from './describe.js'
import { callResponseFlags } from './flags.js'
import { spanAttributes } from './span-attributes.js'
import type { OtelApi, Tracing } from './tracing.js'

export interface TelemetryOptions {
  /** Where calls are counted (Istio's request metrics and the cluster stats). */
  readonly metrics: MeshMetrics
  /** Spans, when the OpenTelemetry API is there; undefined = no spans. */
  readonly tracing?: Tracing | undefined
  /** The route a call matched (virtual service and route names), from the data plane's compiled route. */
  readonly describeRoute: DescribeRoute
}

/** The two halves of telemetry: one layer around the whole call, one around each try. */
export interface TelemetryLayers {
  /** Outermost in the stack: the call's span and its metrics (Istio's standard set, counted once the body is over). */
  readonly call: CallLayer
  /** Outermost of the per-try part: each try's CLIENT span (its trace context sent upstream) and the cluster stats. */
  readonly tries: TryLayer
}

/** The destination of a call that reached no cluster (no route, a redirect, a fault abort). */
const NO_TARGET: object = Object.freeze({ noTarget: true })

/**
 * Telemetry as two layers of the outbound stack, fed by what the call and each try already hold:
 * the call's context (route, target, notes of faults, retries and ejections) and each try's state
 * (endpoint, outcome, verdict). Counting allocates nothing for a label combination seen before
 * (series handles kept per target and endpoint objects); spans are made only when an
 * OpenTelemetry SDK would record them.
 */
export function createTelemetryLayers(options: TelemetryOptions): TelemetryLayers {
  const { metrics, tracing, describeRoute } = options
  const callSpans = new WeakMap<CallContext, Span>()
  const destinations = new PairCache<object, object, DestinationSeries>((target, endpoint) => {
    if (target === NO_TARGET) return metrics.requests.destination({ service: 'unknown' })
    const { host, passthrough } = target as NonNullable<CallContext['target']>
    const labels = endpoint === NO_ENDPOINT ? undefined : (endpoint as { readonly labels: Readonly<Record<string, string>> }).labels
    return metrics.requests.destination({ service: host, passthrough, endpointLabels: labels })
  })

  const finishCall = (request: MeshRequest, call: CallContext, response: MeshResponse | undefined, failure: FailureReason | undefined, span: Span | undefined): void => {
    const grpc = request.headers['content-type']?.startsWith('application/grpc') === true
    const headerStatus = response === undefined ? undefined : grpcStatusOf(response.headers)
    // A gRPC answer's final status is in its trailers unless it is trailers-only (Istio's
    // grpc_response_status reports the final one); the body is over, so they are in or never come.
    if (grpc && headerStatus === undefined && response?.trailers !== undefined) {
      const durationMs = call.clock.now() - call.startedAtMs
      response.trailers.whenReceived((trailers) => record(request, call, response, failure, span, grpc, trailers === undefined ? undefined : grpcStatusOf(trailers), durationMs))
      return
    }
    record(request, call, response, failure, span, grpc, headerStatus, call.clock.now() - call.startedAtMs)
  }

  const record = (request: MeshRequest, call: CallContext, response: MeshResponse | undefined, failure: FailureReason | undefined, span: Span | undefined, grpc: boolean, grpcStatus: number | undefined, durationMs: number): void => {
    const flags = callResponseFlags(call, response, failure)
    const target = call.target
    const endpoint = call.lastTry?.endpoint
    destinations
      .get(target ?? NO_TARGET, endpoint ?? NO_ENDPOINT)
      .record(grpc ? 'grpc' : 'http', response?.status ?? 0, grpcStatus, flags, durationMs, requestBytes(request), response === undefined ? 0 : bodyBytes(response.body, response.headers['content-length']))
    if (target !== undefined) countCallStats(metrics, target.key, call, response)
    if (span !== undefined) endCallSpan(span, tracing!, call, describeRoute, response, failure)
  }

  const call: CallLayer = (next) => (request, context) => {
    const tracer = tracing?.tracer()
    const span = tracer === undefined ? undefined : tracer.startSpan('meshlet call', { kind: tracing!.api.SpanKind.INTERNAL }, tracing!.parentOf(context.inbound?.propagatedHeaders))
    if (span !== undefined) callSpans.set(context, span)
    return next(request, context).then(
      (response) => {
        whenBodyDone(response.body, () => finishCall(request, context, response, undefined, span))
        return response
      },
      (error: unknown) => {
        finishCall(request, context, undefined, failureOutcome(error)?.reason, span)
        throw error
      },
    )
  }

  const clusterStats = new ClusterStatsRecorder(metrics)
  const tries: TryLayer = (next) => (request, state) => {
    state.observe(clusterStats)
    const tracer = tracing?.tracer()
    if (tracer === undefined) return next(request, state)
    const api = tracing!.api
    const call = state.call
    const callSpan = callSpans.get(call)
    const mirrored = call.mirrorOf === undefined ? undefined : callSpans.get(call.mirrorOf as CallContext)
    // A try is a CLIENT span under its call's; a mirrored copy has its own trace, linked to the call it copies.
    const parent = callSpan === undefined ? api.ROOT_CONTEXT : api.trace.setSpan(api.context.active(), callSpan)
    const links = mirrored === undefined ? undefined : [{ context: mirrored.spanContext() }]
    const span = tracer.startSpan(call.shadow ? `${request.method} (mirror)` : request.method, { kind: api.SpanKind.CLIENT, attributes: spanAttributes.tryStart(request, state), links }, parent)
    state.observe(new TrySpan(span, api))
    // The upstream continues the trace from this try's span (W3C traceparent through the global propagator).
    const headers: Record<string, string> = { ...request.headers }
    api.propagation.inject(api.trace.setSpan(parent, span), headers)
    return next({ ...request, headers }, state)
  }

  return { call, tries }
}

/** Envoy-style per-cluster counters of each try, as it ends. One per mesh: it reads everything from the try. */
class ClusterStatsRecorder implements TryObserver {
  constructor(private readonly metrics: MeshMetrics) {}

  tryEnded(state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    const target = state.call.target
    if (target === undefined) return response
    const stats = this.metrics.clusters.cluster(target.key)
    if (state.endpoint !== undefined) stats.upstreamRqTotal += 1
    if (state.attempt > 0) {
      stats.upstreamRqRetry += 1
      if (state.verdict?.result === 'success') stats.upstreamRqRetrySuccess += 1
    }
    const outcome = state.outcome
    if (outcome === undefined) return response
    if (outcome.kind === 'response') {
      if (outcome.localReason === undefined) stats.recordResponse(outcome.status)
      else if (outcome.localReason === 'overflow') stats.upstreamRqPendingOverflow += 1
      return response
    }
    switch (outcome.reason) {
      case 'per-try-timeout':
        stats.upstreamRqPerTryTimeout += 1
        break
      case 'connect-failure':
      case 'connect-timeout':
        stats.upstreamCxConnectFail += 1
        break
      case 'reset':
      case 'refused-stream':
        stats.upstreamRqRxReset += 1
        break
      case 'cancelled':
        stats.upstreamRqCancelled += 1
        break
      default:
        break
    }
    return response
  }
}

/** A try's CLIENT span: its outcome when the try ends, closed once the body it answered with is over. */
class TrySpan implements TryObserver {
  constructor(
    private readonly span: Span,
    private readonly api: OtelApi,
  ) {}

  tryEnded(state: TryState, response: MeshResponse | undefined): MeshResponse | undefined {
    spanAttributes.tryEnd(this.span, this.api, state)
    if (response === undefined) this.span.end()
    else whenBodyDone(response.body, () => this.span.end())
    return response
  }
}

function countCallStats(metrics: MeshMetrics, cluster: string, call: CallContext, response: MeshResponse | undefined): void {
  const stats = metrics.clusters.cluster(cluster)
  if (response?.localReason === 'timeout') stats.upstreamRqTimeout += 1
  const notes = call.notes
  if (notes === undefined) return
  for (const note of notes) {
    if (note.kind === 'retries-ended') {
      if (note.reason === 'budget-exhausted') stats.upstreamRqRetryOverflow += 1
      else if (note.reason === 'attempts-exhausted') stats.upstreamRqRetryLimitExceeded += 1
    } else if (note.kind === 'endpoint-ejected') {
      stats.outlierDetectionEjectionsEnforcedTotal += 1
    }
  }
}

function endCallSpan(span: Span, tracing: Tracing, call: CallContext, describeRoute: DescribeRoute, response: MeshResponse | undefined, failure: FailureReason | undefined): void {
  const route = describeRoute(call)
  span.updateName(route.route ?? route.virtualService ?? call.target?.host ?? 'meshlet call')
  spanAttributes.callEnd(span, tracing.api, call, route, response, failure)
  span.end()
}

function grpcStatusOf(headers: MeshResponse['headers']): number | undefined {
  const value = responseHeader(headers, 'grpc-status')
  if (value === undefined) return undefined
  const status = Number(value)
  return Number.isInteger(status) ? status : undefined
}

/** A request body's size: a string's or bytes' own length, a stream's declared content-length, else 0. */
function requestBytes(request: MeshRequest): number {
  const body = request.body
  if (body === null) return 0
  if (typeof body === 'string') return Buffer.byteLength(body)
  if (body instanceof Uint8Array) return body.byteLength
  const declared = Number(request.headers['content-length'])
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : 0
}
