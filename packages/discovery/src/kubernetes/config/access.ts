/**
 * How to reach one Kubernetes API server, whatever the credentials came from (a kubeconfig
 * context, the in-cluster service account).
 */
export interface ClusterAccess {
  /** `https://host:port` (a path prefix is kept). */
  readonly server: string
  /** Where these credentials came from, for messages: `context "kind-dev" of ~/.kube/config`, `in-cluster service account`. */
  readonly description: string
  /** PEM CA bundle to trust (undefined: the system's). */
  readonly ca: string | undefined
  /** PEM client certificate and key, when the user authenticates with one. */
  readonly cert: string | undefined
  readonly key: string | undefined
  /** TLS server name to verify instead of the server's host (kubeconfig `tls-server-name`). */
  readonly serverName: string | undefined
  readonly insecureSkipTlsVerify: boolean
  /** The namespace of the context (or of the service account), when it names one. */
  readonly namespace: string | undefined
  /** The `Authorization` header value for the next request, if any (a bearer token is re-read when it can change). */
  authorization(): Promise<string | undefined>
  /** Forget a cached credential after a 401 (a rotated token file, an expired exec credential). */
  invalidate(): void
}
