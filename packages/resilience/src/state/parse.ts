import { MeshError } from '@meshlet/core'
import type { BreakerSnapshot } from '../breaker/breaker.js'
import type { BreakerState } from '../breaker/policy.js'
import type { EndpointOutlierState } from '../outlier/detector.js'
import { RESILIENCE_STATE_VERSION } from './format.js'
import type { ResilienceState } from './format.js'

const BREAKER_STATES: ReadonlySet<string> = new Set<BreakerState>(['closed', 'open', 'half-open'])

type Problems = string[]

/** Checks an untrusted snapshot and returns it typed, or throws MESHLET_ERR_STATE_INVALID with every problem. */
export function parseResilienceState(value: unknown): ResilienceState {
  const problems: Problems = []
  if (!isRecord(value)) fail(['state: expected an object written by mesh.snapshotState()'])
  if (value.version !== RESILIENCE_STATE_VERSION) {
    fail([`version: expected ${RESILIENCE_STATE_VERSION}, got ${JSON.stringify(value.version)} (a snapshot from another meshlet version)`])
  }
  const savedAtMs = value.savedAtMs
  if (!isNonNegative(savedAtMs)) problems.push('savedAtMs: expected a wall-clock time in ms')
  const outliers = readMap(value.outliers, 'outliers', problems, (clusterValue, clusterPath) =>
    readMap(clusterValue, clusterPath, problems, (endpointValue, endpointPath) => readEndpoint(endpointValue, endpointPath, problems)),
  )
  const breakers = readMap(value.breakers, 'breakers', problems, (breakerValue, breakerPath) => readBreaker(breakerValue, breakerPath, problems))
  if (problems.length > 0) fail(problems)
  return { version: RESILIENCE_STATE_VERSION, savedAtMs: savedAtMs as number, outliers, breakers }
}

function readEndpoint(value: unknown, path: string, problems: Problems): EndpointOutlierState | undefined {
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object`)
    return undefined
  }
  const start = problems.length
  if (typeof value.ejected !== 'boolean') problems.push(`${path}.ejected: expected true or false`)
  if (value.ejectionRemainingMs !== undefined && !isNonNegative(value.ejectionRemainingMs)) problems.push(`${path}.ejectionRemainingMs: expected a non-negative number`)
  if (!isCount(value.backoff)) problems.push(`${path}.backoff: expected a non-negative integer`)
  if (!isCount(value.ejections)) problems.push(`${path}.ejections: expected a non-negative integer`)
  if (problems.length > start) return undefined
  return {
    ejected: value.ejected as boolean,
    ejectionRemainingMs: value.ejectionRemainingMs as number | undefined,
    backoff: value.backoff as number,
    ejections: value.ejections as number,
  }
}

function readBreaker(value: unknown, path: string, problems: Problems): BreakerSnapshot | undefined {
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object`)
    return undefined
  }
  const start = problems.length
  if (typeof value.state !== 'string' || !BREAKER_STATES.has(value.state)) problems.push(`${path}.state: expected closed, open or half-open`)
  if (value.resetRemainingMs !== undefined && !isNonNegative(value.resetRemainingMs)) problems.push(`${path}.resetRemainingMs: expected a non-negative number`)
  if (problems.length > start) return undefined
  return { state: value.state as BreakerState, resetRemainingMs: value.resetRemainingMs as number | undefined }
}

function readMap<T>(value: unknown, path: string, problems: Problems, readEntry: (entry: unknown, path: string) => T | undefined): Record<string, T> {
  const result: Record<string, T> = {}
  if (value === undefined) return result
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object`)
    return result
  }
  for (const [key, entry] of Object.entries(value)) {
    const read = readEntry(entry, `${path}[${JSON.stringify(key)}]`)
    if (read !== undefined) result[key] = read
  }
  return result
}

function fail(problems: Problems): never {
  throw new MeshError('MESHLET_ERR_STATE_INVALID', `resilience state cannot be restored:\n  ${problems.join('\n  ')}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isCount(value: unknown): value is number {
  return isNonNegative(value) && Number.isInteger(value)
}
