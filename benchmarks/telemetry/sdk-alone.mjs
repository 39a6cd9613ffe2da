#!/usr/bin/env node
// What the OpenTelemetry SDK (2.12.x) itself costs for the work the telemetry layers hand it per
// call, with no mesh and no sockets: two spans (the call's INTERNAL span and one try's CLIENT span,
// with its trace context injected into headers, both with HTTP attributes) and one record on each
// of Istio's three histograms with 25 attributes, in a tight loop. Compare with layer-cost.mjs's
// "full SDK" figure to see how much of it is the SDK's.
//
//   node benchmarks/telemetry/sdk-alone.mjs
const { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base')
const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = await import('@opentelemetry/sdk-metrics')
const api = await import('@opentelemetry/api')
const spans = new InMemorySpanExporter()
const tp = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] })
const mp = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 10_000 })] })
const tracer = tp.getTracer('x'); const meter = mp.getMeter('x')
const h = ['a','b','c'].map((n) => meter.createHistogram(n))
const attrs = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`label_${i}`, `value_${i}`]))
const spanAttrs = { 'http.request.method': 'GET', 'server.address': 'items', 'server.port': 8080, 'url.full': 'http://items:8080/items/1', 'network.peer.address': '127.0.0.1', 'network.peer.port': 1234, 'http.response.status_code': 200 }
function one() {
  const call = tracer.startSpan('meshlet call', { kind: api.SpanKind.INTERNAL })
  const ctx = api.trace.setSpan(api.context.active(), call)
  const t = tracer.startSpan('GET', { kind: api.SpanKind.CLIENT, attributes: spanAttrs }, ctx)
  const headers = {}; api.propagation.inject(api.trace.setSpan(ctx, t), headers)
  t.setAttribute('http.response.status_code', 200); t.end()
  call.setAttributes(spanAttrs); call.updateName('items'); call.end()
  for (const x of h) x.record(5, attrs)
}
for (let i = 0; i < 50000; i++) one()
const N = 200000; const c0 = process.cpuUsage(); for (let i = 0; i < N; i++) { one(); if (i % 5000 === 0) spans.reset() }
const c = process.cpuUsage(c0); console.log(`${((c.user + c.system) / N).toFixed(1)} µs CPU per call for 2 spans + 3 histogram records (25 attributes)`)
await tp.shutdown(); await mp.shutdown()
