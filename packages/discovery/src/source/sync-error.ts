import { MeshError } from '@meshlet/core'

/** The streams that did not sync, with their last error, as one error for createMesh. */
export function syncFailure(source: string, timeoutMs: number, unsynced: ReadonlyArray<{ readonly stream: string; readonly lastError: Error | undefined }>): MeshError {
  const reasons = unsynced.map(({ stream, lastError }) => `  ${stream}: ${lastError?.message ?? 'no answer yet'}`)
  const neverReached = unsynced.length > 0 && unsynced.every(({ lastError }) => lastError instanceof MeshError && lastError.code === 'MESHLET_ERR_DISCOVERY_UNREACHABLE')
  const code = neverReached ? 'MESHLET_ERR_DISCOVERY_UNREACHABLE' : 'MESHLET_ERR_DISCOVERY_SYNC_TIMEOUT'
  const headline = neverReached ? `${source}: unreachable for ${timeoutMs} ms, no first sync` : `${source}: first sync not complete after ${timeoutMs} ms`
  const cause = unsynced.find(({ lastError }) => lastError !== undefined)?.lastError
  return new MeshError(code, `${headline} (syncTimeoutMs):\n${reasons.join('\n')}`, { cause })
}
