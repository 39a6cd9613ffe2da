import { splitAuthority } from '@meshlet/core'
import type { CallContext, FailureReason, MeshRequest, MeshResponse, TryState } from '@meshlet/core'
import type { Attributes, Span } from '@opentelemetry/api'
import type { RouteDescription } from './describe.js'
import type { OtelApi } from './tracing.js'

/** HTTP methods the OpenTelemetry HTTP conventions name; any other is `_OTHER` (semconv http.request.method). */
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'])

/**
 * The attributes of meshlet's spans: the stable OpenTelemetry HTTP client conventions on each try
 * (http.request.method, url.full, server.address, server.port, network.peer.address,
 * http.response.status_code, error.type, http.request.resend_count) and meshlet's own on the call
 * (meshlet.virtual_service, meshlet.route, meshlet.destination.subset, meshlet.local_reason), with
 * the call's faults, retries and ejections as span events.
 */
export const spanAttributes = {
  tryStart(request: MeshRequest, state: TryState): Attributes {
    const { host, port } = splitAuthority(request.authority)
    const attributes: Attributes = {
      'http.request.method': KNOWN_METHODS.has(request.method) ? request.method : '_OTHER',
      'url.full': `${request.scheme}://${request.authority}${request.path}`,
      'server.address': host,
      'server.port': port ?? (request.scheme === 'https' ? 443 : 80),
    }
    if (!KNOWN_METHODS.has(request.method)) attributes['http.request.method_original'] = request.method
    if (state.attempt > 0) attributes['http.request.resend_count'] = state.attempt
    return attributes
  },

  tryEnd(span: Span, api: OtelApi, state: TryState): void {
    const endpoint = state.endpoint
    if (endpoint !== undefined) span.setAttributes({ 'network.peer.address': endpoint.address, 'network.peer.port': endpoint.port })
    const outcome = state.outcome
    if (outcome === undefined) return
    if (outcome.kind === 'response') {
      span.setAttribute('http.response.status_code', outcome.status)
      if (outcome.localReason !== undefined) span.setAttribute('meshlet.local_reason', outcome.localReason)
      // Client spans: 4xx and 5xx are errors (OpenTelemetry HTTP conventions, span status).
      if (outcome.status >= 400) {
        span.setAttribute('error.type', String(outcome.status))
        span.setStatus({ code: api.SpanStatusCode.ERROR })
      }
      return
    }
    span.setAttribute('error.type', outcome.reason)
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.reason })
  },

  callEnd(span: Span, api: OtelApi, call: CallContext, route: RouteDescription, response: MeshResponse | undefined, failure: FailureReason | undefined): void {
    const attributes: Attributes = {}
    if (route.virtualService !== undefined) attributes['meshlet.virtual_service'] = route.virtualService
    if (route.route !== undefined) attributes['meshlet.route'] = route.route
    const target = call.target
    if (target !== undefined) {
      attributes['meshlet.destination.host'] = target.host
      if (target.subset !== undefined) attributes['meshlet.destination.subset'] = target.subset
    }
    if (response !== undefined) {
      attributes['http.response.status_code'] = response.status
      if (response.localReason !== undefined) attributes['meshlet.local_reason'] = response.localReason
    }
    if (failure !== undefined) attributes['meshlet.local_reason'] = failure
    span.setAttributes(attributes)
    for (const note of call.notes ?? []) {
      switch (note.kind) {
        case 'fault-delay':
          span.addEvent('fault.delay', { 'meshlet.fault.delay_ms': note.delayMs }, note.atMs)
          break
        case 'fault-abort':
          span.addEvent('fault.abort', note.grpcStatus === undefined ? { 'meshlet.fault.http_status': note.status } : { 'meshlet.fault.grpc_status': note.grpcStatus }, note.atMs)
          break
        case 'retry':
          span.addEvent('retry', { 'http.request.resend_count': note.attempt, 'meshlet.retry.backoff_ms': note.backoffMs, 'meshlet.retry.reason': note.outcome }, note.atMs)
          break
        case 'retries-ended':
          span.addEvent('retries.ended', { 'meshlet.retry.reason': note.reason }, note.atMs)
          break
        case 'endpoint-ejected':
          span.addEvent('endpoint.ejected', { 'network.peer.address': note.endpoint, 'http.request.resend_count': note.attempt }, note.atMs)
          break
      }
    }
    if (failure !== undefined || (response !== undefined && response.status >= 500)) span.setStatus({ code: api.SpanStatusCode.ERROR })
  },
}
