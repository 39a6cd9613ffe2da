import { context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll } from 'vitest'

/**
 * The real OpenTelemetry SDK (2.12.x) with in-memory exporters, as an application would set it up:
 * W3C trace context as the global propagator and async-hooks context for active spans. The tracer
 * provider is handed to the mesh (createMesh({ telemetry: { tracerProvider } })), not registered
 * globally, so tests do not see each other's spans.
 */
export function otelSdk() {
  const spans = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  const contextManager = new AsyncLocalStorageContextManager()
  beforeAll(() => {
    contextManager.enable()
    context.setGlobalContextManager(contextManager)
    propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  })
  afterAll(async () => {
    await tracerProvider.shutdown()
    context.disable()
    propagation.disable()
  })
  return {
    tracerProvider,
    finished: (): ReadableSpan[] => spans.getFinishedSpans(),
    reset: () => spans.reset(),
    tracer: tracerProvider.getTracer('test'),
  }
}

/** A meter provider with an in-memory exporter, read on demand. */
export function otelMeter() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  return {
    meterProvider,
    /** Collects now; every data point of the metric named, as [attributes, value]. */
    async points(name: string): Promise<Array<[Record<string, unknown>, unknown]>> {
      const { resourceMetrics } = await reader.collect()
      const points: Array<[Record<string, unknown>, unknown]> = []
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) if (metric.descriptor.name === name) for (const point of metric.dataPoints) points.push([point.attributes, point.value])
      }
      return points
    },
    shutdown: () => meterProvider.shutdown(),
  }
}

export { trace }
