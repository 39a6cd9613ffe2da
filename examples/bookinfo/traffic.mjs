// The traffic: users asking for the product page from outside, through the ingress gateway.
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

const OTHER_USERS = ['alice', 'bob', 'carol', 'dave']

/** The user of the n-th request: one request in five comes from jason, the test user. */
export function userFor(n) {
  return n % 5 === 0 ? 'jason' : OTHER_USERS[n % OTHER_USERS.length]
}

/**
 * One visit to productpage as `user`: what came back (status, the reason meshlet gave when it
 * answered itself, the reviews version that answered, what happened to the ratings call) and how
 * long it took. Never throws: a rejected fetch is reported as status 0 with the error's name.
 */
export async function visitProductpage(ingress, user) {
  const startedAt = performance.now()
  try {
    const response = await ingress.fetch('/productpage', { headers: { 'end-user': user } })
    const isJson = response.headers.get('content-type')?.includes('application/json') ?? false
    const body = isJson ? await response.json() : (await response.arrayBuffer(), null)
    return {
      user,
      status: response.status,
      reason: response.headers.get('x-meshlet-reason') ?? body?.reviews?.reason ?? null,
      version: response.ok ? (body?.reviews?.version ?? null) : null,
      ratings: response.ok ? (body?.reviews?.ratings ?? null) : null,
      latencyMs: performance.now() - startedAt,
    }
  } catch (error) {
    return { user, status: 0, reason: error?.code ?? error?.name ?? 'error', version: null, ratings: null, latencyMs: performance.now() - startedAt }
  }
}

/**
 * Keeps `concurrency` users busy until `signal` aborts or `requests` visits have been made, each
 * user starting a visit at most every `intervalMs`. Resolves once every visit in flight is over.
 */
export async function runTraffic({ ingress, concurrency, intervalMs = 0, requests = Infinity, signal, onResult }) {
  let started = 0
  const worker = async () => {
    while (!signal?.aborted && started < requests) {
      const user = userFor(started++)
      const result = await visitProductpage(ingress, user)
      onResult(result)
      const waitMs = intervalMs - result.latencyMs
      if (waitMs > 0 && !signal?.aborted) await sleep(waitMs, undefined, { signal }).catch(() => undefined)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return started
}
