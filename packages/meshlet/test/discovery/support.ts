import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Mesh } from 'meshlet'

/** One answer seen by the traffic loop. */
export interface Answer {
  readonly atMs: number
  readonly status: number
  readonly upstream: string | null
  readonly reason: string | null
}

/** Requests sent in a loop while a test changes the world, and what came back. */
export interface Traffic {
  readonly answers: readonly Answer[]
  /** Answers that were not 200, and fetches that threw. */
  readonly failures: ReadonlyArray<Answer | { readonly error: unknown }>
  /** The first time `upstream` answered after `sinceMs` (Date.now scale), or undefined. */
  firstAnswerFrom(upstream: string, sinceMs: number): number | undefined
  /** Resolves once `upstream` answered after `sinceMs`; rejects after `timeoutMs`. */
  waitFor(upstream: string, sinceMs: number, timeoutMs?: number): Promise<number>
  /** Resolves once `count` more answers arrived. */
  waitForAnswers(count: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

/**
 * Sends GET `url` through the mesh from `concurrency` loops, back to back, recording every
 * answer (status, which pod answered: the x-upstream header of the test upstreams).
 */
export function startTraffic(mesh: Mesh, url: string, concurrency = 4): Traffic {
  const answers: Answer[] = []
  const failures: Array<Answer | { error: unknown }> = []
  let running = true
  const loop = async () => {
    while (running) {
      try {
        const response = await mesh.fetch(url)
        await response.arrayBuffer()
        const answer = { atMs: Date.now(), status: response.status, upstream: response.headers.get('x-upstream'), reason: response.headers.get('x-meshlet-reason') }
        answers.push(answer)
        if (response.status !== 200) failures.push(answer)
      } catch (error) {
        if (running) failures.push({ error })
      }
      // A local reply (503) resolves without I/O: yield, or the loops would starve timers and sockets.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const loops = Array.from({ length: concurrency }, loop)
  const firstAnswerFrom = (upstream: string, sinceMs: number) => answers.find((answer) => answer.upstream === upstream && answer.atMs >= sinceMs)?.atMs
  return {
    answers,
    failures,
    firstAnswerFrom,
    async waitFor(upstream, sinceMs, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const at = firstAnswerFrom(upstream, sinceMs)
        if (at !== undefined) return at
        if (Date.now() > deadline) throw new Error(`${upstream} did not answer within ${timeoutMs} ms; answers by upstream: ${JSON.stringify(countBy(answers.filter((a) => a.atMs >= sinceMs)))}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    async waitForAnswers(count, timeoutMs = 5_000) {
      const target = answers.length + count
      const deadline = Date.now() + timeoutMs
      while (answers.length < target) {
        if (Date.now() > deadline) throw new Error(`only ${answers.length} answers, wanted ${target}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    async stop() {
      running = false
      await Promise.all(loops)
    },
  }
}

export function countBy(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const answer of answers) counts[answer.upstream ?? `status ${answer.status}`] = (counts[answer.upstream ?? `status ${answer.status}`] ?? 0) + 1
  return counts
}

/** Answers after `sinceMs`, counted by upstream. */
export function answersSince(traffic: Traffic, sinceMs: number): Record<string, number> {
  return countBy(traffic.answers.filter((answer) => answer.atMs >= sinceMs))
}

export function temporaryFolder(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'meshlet-discovery-'))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Reconnects fast, so outage tests converge quickly (the defaults back off up to 30 s). */
export const FAST_RECONNECT = { initialDelayMs: 50, maxDelayMs: 500, breakerThreshold: 1_000, breakerOpenMs: 1_000, stableAfterMs: 1_000 }
