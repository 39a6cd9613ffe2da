import { compose } from '@meshlet/core'
import type { TypedEmitter } from '@meshlet/core'
import { MeshMetrics, Tracing, createTelemetryLayers, exportToGlobalMeter, exportToMeter, otelGlobalsRegistered, MESHLET_METER_NAME } from '@meshlet/otel'
import type { MeterExport, OtelApi, RouteDescription, WorkloadIdentity } from '@meshlet/otel'
import type { CompiledRoute } from '@meshlet/rules'
import type { MeshCallContext, MeshLayer, MeshTryLayer } from '../call-context.js'
import type { MeshEvents } from '../mesh/events.js'
import type { TelemetryOptions } from '../mesh/options.js'
import { createRequestEventLayer } from './request-event.js'

/** What createMesh puts in the telemetry slots, and what stays to be stopped with the mesh. */
export interface TelemetrySetup {
  readonly telemetry: MeshLayer
  readonly tryTelemetry: MeshTryLayer | undefined
  /** The mesh's metrics (the admin server serves them); undefined with `telemetry: false`. */
  readonly metrics: MeshMetrics | undefined
  /** Detaches the OpenTelemetry meter export. */
  close(): void
}

/**
 * The telemetry of a mesh: always the `request` event; unless `telemetry: false`, Istio's
 * standard metrics and Envoy-style cluster stats counted in process (served by the admin server,
 * exported through an OpenTelemetry meter when a provider is given or an SDK registered a global
 * one), and OpenTelemetry spans when `@opentelemetry/api` is installed (the given tracer provider,
 * else the global one; with no SDK registered nothing is made). `@opentelemetry/api` is loaded only
 * when it is installed and a provider is given or an SDK registered globals.
 */
export async function setUpTelemetry(options: TelemetryOptions | false | undefined, events: TypedEmitter<MeshEvents>, identity: WorkloadIdentity): Promise<TelemetrySetup> {
  const requestEvents = createRequestEventLayer(events)
  if (options === false) return { telemetry: requestEvents, tryTelemetry: undefined, metrics: undefined, close: () => undefined }
  const metrics = options?.metrics ?? new MeshMetrics({ identity })
  // @opentelemetry/api is loaded now only when a provider is given or an SDK already registered
  // globals; otherwise when one does (a process without an SDK never imports it).
  const providerGiven = options?.tracerProvider !== undefined || options?.meterProvider !== undefined
  const api = providerGiven || otelGlobalsRegistered() ? await loadOtelApi() : undefined
  const tracing = api !== undefined ? new Tracing(api, options?.tracerProvider as never) : new Tracing({ load: loadOtelApi })
  const layers = createTelemetryLayers({ metrics, tracing, describeRoute: (call) => describeRoute(call as MeshCallContext) })
  let meterExport: MeterExport | undefined
  const meterProvider = options?.meterProvider as { getMeter(name: string): unknown } | undefined
  if (meterProvider !== undefined) meterExport = exportToMeter(metrics, meterProvider.getMeter(MESHLET_METER_NAME) as never)
  else if (api !== undefined) meterExport = await exportToGlobalMeter(metrics)
  return {
    telemetry: compose(requestEvents, layers.call as MeshLayer),
    tryTelemetry: layers.tries as MeshTryLayer,
    metrics,
    close: () => meterExport?.detach(),
  }
}

const routeDescriptions = new WeakMap<CompiledRoute, RouteDescription>()

/** The VirtualService and route names of a call's matched route, made once per compiled route. */
function describeRoute(call: MeshCallContext): RouteDescription {
  const route = call.route
  if (route === undefined) return { virtualService: undefined, route: undefined }
  let description = routeDescriptions.get(route)
  if (description === undefined) {
    const source = route.delegate ?? route.source
    description = Object.freeze({ virtualService: `${source.namespace}/${source.name}`, route: route.name })
    routeDescriptions.set(route, description)
  }
  return description
}

/** `@opentelemetry/api` when it is installed (it is an optional peer dependency), else undefined. */
async function loadOtelApi(): Promise<OtelApi | undefined> {
  try {
    return await import('@opentelemetry/api')
  } catch {
    return undefined
  }
}
