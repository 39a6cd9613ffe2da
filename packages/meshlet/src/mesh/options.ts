import type { Clock, Random } from '@meshlet/core'
import type { DnsResolver, EtcdOptions, KubernetesOptions, LocalEndpoint } from '@meshlet/discovery'
import type { StackSlots } from '../stack.js'

/** What a function filling the slots receives: the mesh's injected time, randomness and identity. */
export interface StackEnvironment {
  readonly clock: Clock
  readonly random: Random
  readonly namespace: string
  readonly labels: Readonly<Record<string, string>>
  readonly locality: string | undefined
}

/**
 * Telemetry of a mesh (docs/telemetry.md). Providers are `@opentelemetry/api` objects; typed
 * loosely here so meshlet does not require the API to be installed.
 */
export interface TelemetryOptions {
  /** Spans go to this provider; default: the global one (`@opentelemetry/api` trace.getTracerProvider()). */
  readonly tracerProvider?: unknown
  /** Metrics are exported through this provider; default: the global one, when an SDK registered it. */
  readonly meterProvider?: unknown
  /** Count into this store instead of a new one (to share one store between meshes). */
  readonly metrics?: import('@meshlet/otel').MeshMetrics
}

export interface CreateMeshOptions {
  /** YAML/JSON files or folders of Istio resources (multi-document, Kubernetes Lists). */
  readonly files?: readonly string[]
  /** YAML text (one string or several). */
  readonly yaml?: string | readonly string[]
  /** Already parsed resources. */
  readonly resources?: readonly unknown[]
  /**
   * A precompiled snapshot written by `meshlet compile <rules> -o mesh.json`, instead of `files`,
   * `yaml` and `resources`: the rules were validated when it was written, so the mesh loads with
   * no YAML parser and no validator (a faster cold start). A corrupt, foreign or stale file throws
   * MESHLET_ERR_SNAPSHOT_CORRUPT / _FOREIGN / _STALE naming the file. With `watch`, the file is
   * reloaded when it is written again.
   */
  readonly snapshot?: string
  /** The namespace this service runs in; short names expand with it. Default `default`. */
  readonly namespace?: string
  /** This service's labels (VirtualService `sourceLabels`). */
  readonly labels?: Readonly<Record<string, string>>
  /** This service's locality `region/zone/subzone` (locality-aware balancing). */
  readonly locality?: string
  /** Cluster DNS domain. Default `cluster.local`. */
  readonly domain?: string
  /** Endpoints by host for local development (short names expand like rule hosts); they win over ServiceEntries. */
  readonly endpoints?: Readonly<Record<string, readonly LocalEndpoint[]>>
  /** Reload `files` (or the `snapshot` file) when they change; keep the last good config on error. `debounceMs` default 50. */
  readonly watch?: boolean | { readonly debounceMs?: number }
  /** Treat analysis findings (warnings) as errors, like `meshlet validate --strict`. */
  readonly strict?: boolean
  /** Default: the system clock. Tests pass a FakeClock. */
  readonly clock?: Clock
  /** Default: Math.random. Tests pass seededRandom(n). */
  readonly random?: Random
  /** DNS for ServiceEntry `resolution: DNS`. Default: node:dns. */
  readonly dnsResolver?: DnsResolver
  /**
   * Spans and metrics: OpenTelemetry spans (when an SDK is registered or a tracerProvider given),
   * Istio's standard metrics and cluster stats (served by the admin server, exported through an
   * OpenTelemetry meter). `false` turns them all off (the `request` event stays). Default: on.
   */
  readonly telemetry?: TelemetryOptions | false
  /** Fill the stack's slots (resilience layers, balancer, telemetry), directly or from the mesh's environment. */
  readonly layers?: StackSlots | ((environment: StackEnvironment) => StackSlots)
  /**
   * Breaker and outlier state saved by `mesh.snapshotState()` (the object or its parsed JSON), so a
   * new process (a serverless cold start) avoids what its predecessor had ejected or tripped. Times
   * left are aged by the wall-clock time since it was saved. A malformed or foreign snapshot throws
   * MESHLET_ERR_STATE_INVALID listing every problem.
   */
  readonly state?: unknown
  /** Rules and endpoints from a Kubernetes API server (docs/discovery.md). createMesh waits for its first full sync. */
  readonly kubernetes?: KubernetesOptions
  /** Rules and endpoints from etcd, and `mesh.register()` (docs/discovery.md). createMesh waits for its first full read. */
  readonly etcd?: EtcdOptions
}

/** Defaults of createMesh: Kubernetes' default namespace and cluster domain, and a short watch debounce. */
export const DEFAULT_MESH_OPTIONS = {
  namespace: 'default',
  domain: 'cluster.local',
  /** Editors write a file in several steps; one reload after the last event is enough. */
  watchDebounceMs: 50,
} as const
