import { deepFreeze } from '../compile/freeze.js'
import type {
  CompiledCors,
  CompiledDestination,
  CompiledFault,
  CompiledHeaders,
  CompiledMirror,
  CompiledRetryPolicy,
  CompiledTrafficPolicy,
  StringMatcher,
} from '../compile/snapshot.js'
import type { CorsJson, DestinationJson, FaultJson, HeadersJson, RetriesJson, StringMatchJson } from './decision.js'

/** Compiled values as plain JSON: null instead of undefined, no functions. */

export function headersJson(headers: CompiledHeaders): HeadersJson {
  const operations = (side: CompiledHeaders['request']) => ({ set: { ...side.set }, add: { ...side.add }, remove: [...side.remove] })
  return { request: operations(headers.request), response: operations(headers.response) }
}

export function destinationJson(destination: CompiledDestination): DestinationJson {
  return {
    host: destination.host,
    subset: destination.subset ?? null,
    port: destination.port ?? null,
    weight: destination.weight,
    headers: headersJson(destination.headers),
  }
}

export function retriesJson(policy: CompiledRetryPolicy): RetriesJson {
  return {
    attempts: policy.attempts,
    perTryTimeoutMs: policy.perTryTimeoutMs ?? null,
    retryOn: policy.retryOn.join(','),
    retriableStatusCodes: [...policy.retriableStatusCodes],
    backoffMs: policy.backoffBaseMs,
    backoffMaxMs: policy.backoffMaxMs,
    avoidPreviousHosts: policy.avoidPreviousHosts,
    retryRemoteLocalities: policy.retryRemoteLocalities,
    isDefault: policy.isDefault,
  }
}

export function faultJson(fault: CompiledFault | undefined): FaultJson | null {
  if (!fault) return null
  return {
    delay: fault.delay ? { fixedDelayMs: fault.delay.fixedDelayMs, percentage: fault.delay.percentage } : null,
    abort: fault.abort
      ? { httpStatus: fault.abort.httpStatus ?? null, grpcStatus: fault.abort.grpcStatus ?? null, percentage: fault.abort.percentage }
      : null,
  }
}

export function mirrorJson(mirror: CompiledMirror): { host: string; subset: string | null; port: number | null; percentage: number } {
  return { host: mirror.host, subset: mirror.subset ?? null, port: mirror.port ?? null, percentage: mirror.percentage }
}

export function stringMatchJson(matcher: StringMatcher): StringMatchJson {
  if (matcher.kind === 'present') return {}
  return { [matcher.kind]: matcher.value }
}

export function corsJson(cors: CompiledCors | undefined): CorsJson | null {
  if (!cors) return null
  return {
    allowOrigins: cors.allowOrigins.map(stringMatchJson),
    allowMethods: [...cors.allowMethods],
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    maxAgeSeconds: cors.maxAgeSeconds ?? null,
    allowCredentials: cors.allowCredentials ?? null,
    unmatchedPreflights: cors.unmatchedPreflights,
  }
}

/** A deep copy with undefined fields turned into null, so JSON output shows every field. */
export function policyJson(policy: CompiledTrafficPolicy): unknown {
  // Compiled policies are frozen and shared by every cluster they apply to, so each is written as
  // JSON once (frozen too): the JSON round trip was most of an explain() call.
  let json = policyJsonCache.get(policy)
  if (json === undefined) {
    json = deepFreeze(JSON.parse(JSON.stringify(policy, (_key, value: unknown) => (value === undefined ? null : value))))
    policyJsonCache.set(policy, json)
  }
  return json
}

const policyJsonCache = new WeakMap<CompiledTrafficPolicy, unknown>()
