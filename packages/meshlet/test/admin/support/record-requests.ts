import type { Mesh, RequestEvent } from 'meshlet'
import { NO_RESPONSE_FLAGS, responseFlagOfReason, withResponseFlag } from '@meshlet/otel'
import type { DestinationSeries, MeshMetrics } from '@meshlet/otel'

/**
 * Round 1 stand-in for the telemetry layer: counts every call the mesh's `request` event reports
 * into Istio's request metrics, and retries, overflows and ejections into the cluster stats. The
 * event names the endpoint by id, so the test says which labels each endpoint carries. Body sizes
 * are not in the event and are recorded as 0. Returns the function that stops recording.
 */
export function recordRequests(mesh: Mesh, metrics: MeshMetrics, labelsOf: (endpointId: string) => Readonly<Record<string, string>> | undefined): () => void {
  const handles = new Map<string, DestinationSeries>()
  const hostOf = (cluster: string | undefined, url: string) => (cluster === undefined ? new URL(url).hostname : (cluster.split('|')[3] ?? cluster))
  const onRequest = (event: RequestEvent) => {
    const service = hostOf(event.cluster, event.url)
    const key = `${service} ${event.endpoint ?? ''}`
    let handle = handles.get(key)
    if (handle === undefined) {
      handle = metrics.requests.destination({ service, endpointLabels: event.endpoint === undefined ? undefined : labelsOf(event.endpoint) })
      handles.set(key, handle)
    }
    const flag = responseFlagOfReason(event.localReason)
    handle.record('http', event.status, undefined, flag === undefined ? NO_RESPONSE_FLAGS : withResponseFlag(NO_RESPONSE_FLAGS, flag), event.durationMs, 0, 0)
    if (event.cluster !== undefined) {
      const stats = metrics.clusters.cluster(event.cluster)
      stats.upstreamRqTotal += event.tries
      if (event.localReason === undefined) stats.recordResponse(event.status)
    }
  }
  const onRetry = (event: { readonly cluster: string | undefined }) => {
    if (event.cluster !== undefined) metrics.clusters.cluster(event.cluster).upstreamRqRetry++
  }
  const onOverflow = (event: { readonly cluster: string }) => void metrics.clusters.cluster(event.cluster).upstreamRqPendingOverflow++
  const onEjected = (event: { readonly cluster: string }) => void metrics.clusters.cluster(event.cluster).outlierDetectionEjectionsEnforcedTotal++
  mesh.on('request', onRequest)
  mesh.on('retry', onRetry)
  mesh.on('overflow', onOverflow)
  mesh.on('endpointEjected', onEjected)
  return () => {
    mesh.off('request', onRequest)
    mesh.off('retry', onRetry)
    mesh.off('overflow', onOverflow)
    mesh.off('endpointEjected', onEjected)
  }
}
