export { parseMeshletExtensions } from './parse.js'
export { MESHLET_ANNOTATION_PREFIX, EXTENSION_KEYS } from './keys.js'
export { DEFAULT_SUCCESS_RATE, DEFAULT_FAILURE_PERCENTAGE, DEFAULT_OUTLIER_INTERVAL_MS, DEFAULT_CIRCUIT_BREAKER, DEFAULT_PEAK_EWMA } from './defaults.js'
export type {
  MeshletExtensions,
  OutlierDetectionExtension,
  CircuitBreakerExtension,
  PeakEwmaExtension,
  SuccessRateEjection,
  FailurePercentageEjection,
  ExtensionLoadBalancer,
  ExtensionProblem,
  ParsedMeshletExtensions,
} from './types.js'
