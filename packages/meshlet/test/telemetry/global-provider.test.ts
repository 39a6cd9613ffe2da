import { trace } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it, vi } from 'vitest'
import { otelGlobalsRegistered } from '@meshlet/otel'
import { at, mesh, upstream } from '../helpers.js'

// A mesh made before any OpenTelemetry SDK registers (a process whose tracing is set up later, or
// never): the mesh does not load @opentelemetry/api for nothing, and traces once an SDK registers
// a global tracer provider. This file runs in a process of its own, so the globals start empty.

describe('tracing with the global tracer provider', () => {
  it('makes no span before an SDK registers, then traces calls once one has', async () => {
    expect(otelGlobalsRegistered()).toBe(false)
    const server = await upstream({ name: 'reviews-v1' })
    const m = await mesh({ endpoints: { reviews: [at(server)] } })
    await (await m.fetch('http://reviews:9080/before')).text()

    const spans = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
    trace.setGlobalTracerProvider(provider)
    expect(otelGlobalsRegistered()).toBe(true)

    // The first call after the SDK registered starts loading the API; calls from then on are traced.
    await vi.waitFor(async () => {
      await (await m.fetch('http://reviews:9080/after')).text()
      expect(spans.getFinishedSpans().length).toBeGreaterThan(0)
    })
    const names = spans.getFinishedSpans().map((span) => span.name)
    expect(names).toContain('GET')
    expect(spans.getFinishedSpans().every((span) => span.attributes['url.full'] === undefined || String(span.attributes['url.full']).endsWith('/after'))).toBe(true)
    trace.disable()
    await provider.shutdown()
  })
})
