import type { CorsPolicy } from '../../spec/virtual-service.js'
import type { CompiledCors } from '../snapshot.js'
import { compileStringMatcher } from '../../match/string-matcher.js'
import { durationMs } from '../duration.js'

/**
 * Istio's TranslateCORSPolicy (`route.go`): `allowOrigins` string matchers, else the deprecated
 * `allowOrigin` list as exact matches; maxAge in whole seconds; preflights that match no origin
 * are forwarded unless `unmatchedPreflights: IGNORE`.
 */
export function compileCors(spec: CorsPolicy | undefined): CompiledCors | undefined {
  if (!spec) return undefined
  const allowOrigins = spec.allowOrigins
    ? spec.allowOrigins.map((origin) => compileStringMatcher(origin))
    : (spec.allowOrigin ?? []).map((origin) => compileStringMatcher({ exact: origin }))
  const maxAgeMs = durationMs(spec.maxAge)
  return {
    allowOrigins,
    allowMethods: [...(spec.allowMethods ?? [])],
    allowHeaders: [...(spec.allowHeaders ?? [])],
    exposeHeaders: [...(spec.exposeHeaders ?? [])],
    maxAgeSeconds: maxAgeMs === undefined ? undefined : Math.floor(maxAgeMs / 1000),
    allowCredentials: spec.allowCredentials,
    unmatchedPreflights: spec.unmatchedPreflights === 'IGNORE' ? 'IGNORE' : 'FORWARD',
  }
}
