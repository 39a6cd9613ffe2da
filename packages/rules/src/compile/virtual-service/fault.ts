import type { HTTPFaultInjection } from '../../spec/virtual-service.js'
import type { CompiledFault } from '../snapshot.js'
import { durationMs } from '../duration.js'

/**
 * Istio's TranslateFault (`route.go`, reference §7): a delay needs `fixedDelay` (exponential delays
 * are dropped); an abort needs `httpStatus` or `grpcStatus`. An omitted percentage means 0 %:
 * Istio falls back to the deprecated integer `percent` (default 0) for delays and leaves abort's
 * percentage unset.
 */
export function compileFault(spec: HTTPFaultInjection | undefined): CompiledFault | undefined {
  if (!spec) return undefined
  const delay = compileDelay(spec.delay)
  const abort = compileAbort(spec.abort)
  if (!delay && !abort) return undefined
  return { delay, abort }
}

function compileDelay(spec: HTTPFaultInjection['delay']): CompiledFault['delay'] {
  const fixedDelayMs = durationMs(spec?.fixedDelay)
  if (!spec || fixedDelayMs === undefined) return undefined
  const percentage = spec.percentage ? (spec.percentage.value ?? 0) : (spec.percent ?? 0)
  return { fixedDelayMs, percentage }
}

function compileAbort(spec: HTTPFaultInjection['abort']): CompiledFault['abort'] {
  if (!spec) return undefined
  const percentage = spec.percentage?.value ?? 0
  if (typeof spec.httpStatus === 'number') return { httpStatus: spec.httpStatus, grpcStatus: undefined, percentage }
  if (typeof spec.grpcStatus === 'string' && spec.grpcStatus !== '') return { httpStatus: undefined, grpcStatus: spec.grpcStatus, percentage }
  return undefined
}
