import { describe, expect, it } from 'vitest'
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api'
import { FakeClock } from '@meshlet/testing'
import { at, mesh, upstream } from '../helpers.js'
import { drive } from '../chaos/support.js'
import { otelSdk, trace } from './support.js'

// Spans of the OpenTelemetry SDK for a call and its tries: one INTERNAL span per call named after
// the route, one CLIENT span per try under it with the HTTP client conventions, the try's trace
// context sent upstream, faults, retries and ejections as events.

const sdk = otelSdk()

const RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - name: canary
    route:
    - { destination: { host: reviews, subset: v1 }, weight: 50 }
    - { destination: { host: reviews, subset: v2 }, weight: 50 }
    retries: { attempts: 2, retryOn: 5xx }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
`

const traced = { tracerProvider: sdk.tracerProvider }

describe('spans of a call', () => {
  it('makes an INTERNAL span named after the route and a CLIENT span per try, the retry as an event and resend count', async () => {
    sdk.reset()
    const clock = new FakeClock()
    const v1 = await upstream({ name: 'v1', answers: [503], fallback: 200 })
    const m = await mesh({ clock, random: () => 0.1, namespace: 'shop', yaml: RULES, telemetry: traced, endpoints: { reviews: [at(v1, { version: 'v1' })] } })
    const response = await drive(clock, m.fetch('http://reviews:9080/reviews/7'))
    expect(response.status).toBe(200)
    await response.arrayBuffer()

    const spans = sdk.finished()
    const callSpan = spans.find((span) => span.kind === SpanKind.INTERNAL)!
    const trySpans = spans.filter((span) => span.kind === SpanKind.CLIENT)
    expect(callSpan.name).toBe('canary')
    expect(callSpan.attributes).toMatchObject({ 'meshlet.virtual_service': 'shop/reviews', 'meshlet.route': 'canary', 'meshlet.destination.subset': 'v1', 'http.response.status_code': 200 })
    expect(callSpan.events.map((event) => event.name)).toEqual(['retry'])
    expect(callSpan.events[0]!.attributes).toMatchObject({ 'http.request.resend_count': 1, 'meshlet.retry.reason': '503' })
    expect(trySpans).toHaveLength(2)
    for (const span of trySpans) expect(span.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId)
    expect(trySpans[0]!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': 'http://reviews:9080/reviews/7',
      'server.address': 'reviews',
      'server.port': 9080,
      'network.peer.address': '127.0.0.1',
      'http.response.status_code': 503,
      'error.type': '503',
    })
    expect(trySpans[0]!.status.code).toBe(SpanStatusCode.ERROR)
    expect(trySpans[0]!.attributes['http.request.resend_count']).toBeUndefined()
    expect(trySpans[1]!.attributes).toMatchObject({ 'http.response.status_code': 200, 'http.request.resend_count': 1 })
  })

  it("sends each try's own trace context upstream in traceparent", async () => {
    sdk.reset()
    const server = await upstream()
    const m = await mesh({ telemetry: traced, endpoints: { svc: [at(server)] } })
    await (await m.fetch('http://svc/')).arrayBuffer()
    const trySpan = sdk.finished().find((span) => span.kind === SpanKind.CLIENT)!
    const { traceId, spanId } = trySpan.spanContext()
    expect(server.requests[0]!.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`)
  })

  it('starts the call span under the span active when the call is made (an inbound request handled by an instrumented server)', async () => {
    sdk.reset()
    const server = await upstream()
    const m = await mesh({ telemetry: traced, endpoints: { svc: [at(server)] } })
    const inbound = sdk.tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER })
    await context.with(trace.setSpan(context.active(), inbound), async () => (await m.fetch('http://svc/')).arrayBuffer())
    inbound.end()
    const callSpan = sdk.finished().find((span) => span.kind === SpanKind.INTERNAL)!
    expect(callSpan.parentSpanContext?.spanId).toBe(inbound.spanContext().spanId)
    expect(callSpan.spanContext().traceId).toBe(inbound.spanContext().traceId)
  })

  it('continues the trace an inbound request brought when no span is active', async () => {
    const { runWithInboundContext } = await import('@meshlet/core')
    sdk.reset()
    const server = await upstream()
    const m = await mesh({ telemetry: traced, endpoints: { svc: [at(server)] } })
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    await runWithInboundContext({ propagatedHeaders: { traceparent }, deadlineMs: undefined, sourceIp: undefined }, async () => (await m.fetch('http://svc/')).arrayBuffer())
    const callSpan = sdk.finished().find((span) => span.kind === SpanKind.INTERNAL)!
    expect(callSpan.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
    expect(callSpan.parentSpanContext?.spanId).toBe('00f067aa0ba902b7')
  })

  it('records a fault abort as an event and an error status, with no try span', async () => {
    sdk.reset()
    const server = await upstream()
    const m = await mesh({
      telemetry: traced,
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - name: broken
    fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }
    route: [{ destination: { host: ratings } }]
`,
      endpoints: { ratings: [at(server)] },
    })
    await (await m.fetch('http://ratings/')).arrayBuffer()
    const spans = sdk.finished()
    expect(spans.filter((span) => span.kind === SpanKind.CLIENT)).toHaveLength(0)
    const callSpan = spans.find((span) => span.kind === SpanKind.INTERNAL)!
    expect(callSpan.events.map((event) => [event.name, event.attributes])).toEqual([['fault.abort', { 'meshlet.fault.http_status': 503 }]])
    expect(callSpan.attributes['meshlet.local_reason']).toBe('fault-abort')
    expect(callSpan.status.code).toBe(SpanStatusCode.ERROR)
  })

  it('gives a mirrored copy a span of its own, linked to the call it copies', async () => {
    sdk.reset()
    const primary = await upstream()
    const shadow = await upstream()
    const m = await mesh({
      telemetry: traced,
      yaml: `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop }
spec:
  hosts: [shop]
  http:
  - route: [{ destination: { host: shop } }]
    mirror: { host: audit }
`,
      endpoints: { shop: [at(primary)], audit: [at(shadow)] },
    })
    await (await m.fetch('http://shop/')).arrayBuffer()
    await shadow.waitForRequests(1)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const spans = sdk.finished()
    const callSpan = spans.find((span) => span.kind === SpanKind.INTERNAL)!
    const mirrorSpan = spans.find((span) => span.name.endsWith('(mirror)'))!
    expect(mirrorSpan.kind).toBe(SpanKind.CLIENT)
    expect(mirrorSpan.links.map((link) => link.context.spanId)).toEqual([callSpan.spanContext().spanId])
    expect(mirrorSpan.spanContext().traceId).not.toBe(callSpan.spanContext().traceId)
  })

  it('makes no span at all with telemetry: false', async () => {
    sdk.reset()
    const server = await upstream()
    const m = await mesh({ telemetry: false, endpoints: { svc: [at(server)] } })
    await (await m.fetch('http://svc/')).arrayBuffer()
    expect(sdk.finished()).toEqual([])
    expect(server.requests[0]!.headers.traceparent).toBeUndefined()
  })
})

