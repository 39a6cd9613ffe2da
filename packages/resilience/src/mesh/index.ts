export { meshCallAdapter, callerCancellation, recordTriedEndpoint } from './adapter.js'
export { withCancellationSignal, deriveRequest } from './request.js'
export { bodyWithDone } from './body.js'
export { createMeshResilience } from './resilience.js'
export type {
  MeshRouteView,
  MeshPolicyView,
  ResilienceCallContext,
  ResilienceEvents,
  MeshResilienceOptions,
  MeshResilienceLayers,
  MeshResilience,
} from './resilience.js'
