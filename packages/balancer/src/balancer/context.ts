import type { GeneratedCookie } from '../consistent-hash/cookie.js'

/**
 * What the data plane tells the balancer about one pick. Every member is optional; a plain
 * `pick()` balances without hashing, retries or ejection checks.
 */
export interface PickContext<E> {
  /** Request header by lower-case name (consistent hash `httpHeaderName`). */
  header?(name: string): string | undefined
  /** Request cookie by name (consistent hash `httpCookie`). */
  cookie?(name: string): string | undefined
  /** Query parameter by name (consistent hash `httpQueryParameterName`). */
  query?(name: string): string | undefined
  /** The caller's address, from the inbound request context (consistent hash `useSourceIp`). */
  readonly sourceIp?: string | undefined
  /**
   * Called when an `httpCookie` policy with a ttl found no cookie and generated one: the data plane
   * adds `formatSetCookie(cookie)` as a Set-Cookie header to the response, and should answer
   * `cookie(name)` with this value if the same call is retried.
   */
  setCookie?(cookie: GeneratedCookie): void
  /** Endpoints earlier tries of this call went to (Envoy previous_hosts retry predicate). */
  readonly attempted?: readonly E[] | ReadonlySet<E> | undefined
  /** Istio `retryIgnorePreviousHosts`; default true. Never applied with consistent hash (Istio's rule). */
  readonly avoidAttempted?: boolean | undefined
  /** The clock's time the data plane already read for this call, so the balancer need not read it again. */
  readonly nowMs?: number | undefined
}
