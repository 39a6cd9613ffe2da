import { MeshError } from '@meshlet/core'
import type { MeshErrorCode } from '@meshlet/core'

/**
 * A Kubernetes API answer that was not a success, with the Status the server sent: `status` is
 * the HTTP code (or the code of a watch ERROR event), `reason` the Status reason (Forbidden,
 * Expired, Gone, TooManyRequests...), `retryAfterMs` from Retry-After.
 */
export class KubernetesApiError extends MeshError {
  constructor(
    code: MeshErrorCode,
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(code, message)
    this.name = 'KubernetesApiError'
  }

  /** The resourceVersion asked for is older than the server keeps: relist (410 Gone, reason Expired). */
  get gone(): boolean {
    return this.status === 410
  }

  get denied(): boolean {
    return this.status === 401 || this.status === 403
  }

  get throttled(): boolean {
    return this.status === 429
  }
}

export function isKubernetesApiError(error: unknown): error is KubernetesApiError {
  return error instanceof KubernetesApiError
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined || text.trim() === '') return undefined
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}
