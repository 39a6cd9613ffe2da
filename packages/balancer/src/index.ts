export { createBalancer } from './balancer/create-balancer.js'
export type { Balancer, CustomStrategy } from './balancer/create-balancer.js'
export type { PickContext } from './balancer/context.js'
export type { BalancerState, HostState } from './balancer/describe.js'
export type {
  BalancerAlgorithm,
  BalancerConfig,
  BalancerOptions,
  ConsistentHashConfig,
  HashAlgorithmConfig,
  HashKeyConfig,
  LocalityConfig,
  WarmupConfig,
} from './config/config.js'
export {
  DEFAULT_ALGORITHM,
  DEFAULT_CONSISTENT_HASH,
  DEFAULT_LEAST_REQUEST,
  DEFAULT_LOCALITY,
  DEFAULT_PEAK_EWMA,
  DEFAULT_SELECTION,
  DEFAULT_WARMUP,
} from './config/defaults.js'
export type { BalancerEndpoint } from './endpoint/endpoint.js'
export type { Host } from './endpoint/host.js'
export { defaultEndpointKey } from './endpoint/endpoint.js'
export { constantLoad, pendingRequestsLoad, peakEwmaLoad } from './load/index.js'
export type { LoadMetric, LoadTracker, PeakEwmaSettings } from './load/index.js'
export { roundRobinPicker, randomPicker, p2cPicker, leastRequestPicker } from './pickers/index.js'
export type { Picker, PickerEnv, PickerFactory, P2cSettings, LeastRequestSettings } from './pickers/index.js'
export { ringHashPicker } from './consistent-hash/ring-hash.js'
export type { RingHashSettings } from './consistent-hash/ring-hash.js'
export { maglevPicker } from './consistent-hash/maglev.js'
export type { MaglevSettings } from './consistent-hash/maglev.js'
export { formatSetCookie } from './consistent-hash/cookie.js'
export type { GeneratedCookie } from './consistent-hash/cookie.js'
export { simulate, sampleLatency, parseLatencyProfile, slowOutlier, summarize, formatReport, VirtualClock } from './simulator/index.js'
export type { SimulationReport, DestinationReport, EndpointReport, SimulationScenario, SimulatedDestination, SimulatedEndpoint, SimulatedOutlierDetection, SimulatedPoolLimits, SimulatedRetries, SimulatedRoute, TimelineEvent, LatencyProfile, LatencySummary } from './simulator/index.js'
export { simulateModel } from './simulator/cli-model.js'
export type { SimulationModel, ModelDestination, ModelEndpoint } from './simulator/cli-model.js'
export { createMeshPicker, createBalancingLayer } from './data-plane/index.js'
export type { MeshPicker, MeshPickerOptions, MeshPick, PolicyView } from './data-plane/index.js'
export { parseLocality, formatLocality, localityMatches } from './locality/locality.js'
export type { Locality } from './locality/locality.js'
export { priorityLoads, healthPercent } from './locality/health.js'
