import type { MeshMetrics } from '../metrics/mesh-metrics.js'
import { exportToMeter } from './meter-export.js'
import type { MeterExport } from './meter-export.js'

/** The meter name meshlet's instruments are created under. */
export const MESHLET_METER_NAME = 'meshlet'

/**
 * Exports through the global meter provider of `@opentelemetry/api`, when there is one.
 * `@opentelemetry/api` is an optional peer: when it is not installed, or no SDK registered a meter
 * provider (the global meter is the API's no-op meter), nothing is attached and this resolves to
 * undefined, so the data plane pays nothing. The API's global meter provider is not a proxy: a
 * provider registered later is seen only by a later call.
 */
export async function exportToGlobalMeter(metrics: MeshMetrics, meterName: string = MESHLET_METER_NAME): Promise<MeterExport | undefined> {
  let api: typeof import('@opentelemetry/api')
  try {
    api = await import('@opentelemetry/api')
  } catch {
    return undefined
  }
  const meter = api.metrics.getMeter(meterName)
  if (meter === api.createNoopMeter()) return undefined
  return exportToMeter(metrics, meter)
}
