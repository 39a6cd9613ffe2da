import type { ReconnectSettings } from '../reconnect/settings.js'

/** `createMesh({ kubernetes })`: rules and endpoints from a Kubernetes API server. */
export interface KubernetesOptions {
  /** A kubeconfig file. Default: the in-cluster service account, else $KUBECONFIG, else ~/.kube/config. */
  readonly kubeconfig?: string
  /** A context of the kubeconfig. Default: its current-context. */
  readonly context?: string
  /** Namespaces to read. Default: all namespaces (the account must be allowed to list cluster-wide). */
  readonly namespaces?: readonly string[]
  /** Watch Istio's VirtualService, DestinationRule, ServiceEntry and WorkloadEntry. Default true. */
  readonly rules?: boolean
  /** createMesh resolves after the first complete sync, or rejects after this long. Default 10 000. */
  readonly syncTimeoutMs?: number
  /** Watch EndpointSlices and Pod metadata for endpoints. Default true; `meshlet validate --kubernetes` reads rules and Services only. */
  readonly endpoints?: boolean
  /** Read Node labels for each endpoint's region and subzone (needs list/watch on nodes). Default true. */
  readonly nodes?: boolean
  /** Each watch asks the server to end it after this many seconds × a random 1–2. Default 300. */
  readonly watchTimeoutSeconds?: number
  /** Backoff and breaker of reconnects (see DEFAULT_RECONNECT). */
  readonly reconnect?: Partial<ReconnectSettings>
}

/** Defaults of the Kubernetes source: client-go's reflector values where it has one (tools/cache/reflector.go). */
export const DEFAULT_KUBERNETES = Object.freeze({
  rules: true,
  endpoints: true,
  syncTimeoutMs: 10_000,
  nodes: true,
  /** client-go's minWatchTimeout is 5 minutes, randomised up to twice that. */
  watchTimeoutSeconds: 300,
  /** client-go lists in pages of 500. */
  pageSize: 500,
})
