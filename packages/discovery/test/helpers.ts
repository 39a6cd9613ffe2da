import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeKubernetesApiServer } from '@meshlet/testing'
import type { DiscoveryDegradedEvent, DiscoveryRecoveredEvent, DocumentRejection, SourceReporter } from '../src/index.js'

/** Retries `check` until it stops throwing, for at most `timeoutMs` (changes arrive over real sockets). */
export async function eventually<T>(check: () => T, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}

/** A reporter that keeps what it is told. */
export function recordingReporter(): { reporter: SourceReporter; degraded: DiscoveryDegradedEvent[]; recovered: DiscoveryRecoveredEvent[]; rejected: DocumentRejection[] } {
  const degraded: DiscoveryDegradedEvent[] = []
  const recovered: DiscoveryRecoveredEvent[] = []
  const rejected: DocumentRejection[] = []
  return {
    reporter: { degraded: (event) => degraded.push(event), recovered: (event) => recovered.push(event), rejected: (rejection) => rejected.push(rejection) },
    degraded,
    recovered,
    rejected,
  }
}

/** A temporary folder with a kubeconfig for the fake API server; `cleanup` removes it. */
export function kubeconfigFor(api: FakeKubernetesApiServer, options: { token?: string } = {}): { path: string; cleanup: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'meshlet-discovery-'))
  return { path: api.writeKubeconfig(join(folder, 'config'), options), cleanup: () => rmSync(folder, { recursive: true, force: true }) }
}
