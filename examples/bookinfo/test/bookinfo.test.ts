import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { configuredSplit } from '../configured.mjs'
import { startBookinfo } from '../system.mjs'
import { Tally } from '../tally.mjs'
import { userFor, visitProductpage } from '../traffic.mjs'

type System = Awaited<ReturnType<typeof startBookinfo>>
type Visit = Awaited<ReturnType<typeof visitProductpage>>

const systems: System[] = []
afterEach(async () => {
  await Promise.all(systems.splice(0).map((system) => system.close()))
})

/**
 * Starts the demo system on one FakeClock. Each fault delay a mesh injects is played out by
 * moving the clock by that delay, so delays, per-try timeouts, deadlines and retries happen in
 * order without the test sleeping.
 */
async function start(randomFor: (service: string) => () => number) {
  const clock = new FakeClock()
  const system = await startBookinfo({ clock, randomFor })
  systems.push(system)
  const delays: number[] = []
  let wake: () => void = () => undefined
  for (const mesh of [...Object.values(system.meshes), system.gateway.mesh]) {
    mesh.on('fault', (event) => {
      if (event.kind !== 'delay') return
      delays.push(event.delayMs)
      wake()
    })
  }
  /** One visit, moving the clock through every delay it meets. */
  const visit = async (user: string): Promise<Visit> => {
    const pending = visitProductpage(system.ingress, user)
    let result: Visit | undefined
    void pending.then((done) => {
      result = done
      wake()
    })
    for (;;) {
      if (result !== undefined) return result
      if (delays.length > 0) {
        await clock.tick(delays.shift()!)
        continue
      }
      await new Promise<void>((resolve) => (wake = resolve))
    }
  }
  return { system, visit, delays }
}

const SEEDS: Record<string, number> = { ingress: 11, observer: 17, productpage: 12, 'reviews-v1': 13, 'reviews-v2': 14, 'reviews-v3': 15, ratings: 16 }

describe('the bookinfo demo system', () => {
  it('splits everyone else 90/10 between v1 and v3, sends jason to v2 and hands end-user on to ratings', async () => {
    const { system, visit } = await start((service) => seededRandom(SEEDS[service] ?? 1))
    const tally = new Tally()
    const requests = 400
    for (let n = 0; n < requests; n++) tally.add(await visit(userFor(n)))

    expect(tally.requests).toBe(requests)
    expect([...tally.versions.jason.keys()]).toEqual(['v2'])
    expect(tally.versions.jason.get('v2')).toBeGreaterThanOrEqual(0.95 * (requests / 5))

    const others = tally.versions.others
    expect([...others.keys()].sort()).toEqual(['v1', 'v3'])
    const v3Share = (100 * others.get('v3')!) / (others.get('v1')! + others.get('v3')!)
    expect(configuredSplit(system.client).others).toEqual({ v1: 90, v3: 10 })
    expect(Math.abs(v3Share - 10)).toBeLessThan(5)

    // ratings: 10% of everyone else's calls are aborted with 503 by the fault rule.
    expect(tally.ratings.get('503 fault-abort')).toBeGreaterThan(0)
    expect(tally.ratings.get('ok')).toBeGreaterThan(tally.ratings.get('503 fault-abort')!)

    // Every visit entered through the ingress gateway.
    expect(system.gateway.stats.downstream_rq_total).toBe(requests)

    // end-user went productpage → reviews → ratings without any code forwarding it.
    expect(tally.propagated.of).toBeGreaterThan(0)
    expect(tally.propagated.seen).toBe(tally.propagated.of)
  })

  it('rescues jason\'s delayed ratings call with productpage\'s retry', async () => {
    let delayedOnce = false
    const { system, visit, delays } = await start((service) =>
      // reviews v2 draws "delay" for its first ratings call and "no delay" afterwards.
      service === 'reviews-v2' ? () => (delayedOnce ? 0.99 : 0) : seededRandom(SEEDS[service] ?? 1),
    )
    system.meshes['reviews-v2'].once('fault', () => (delayedOnce = true))
    const tries: number[] = []
    system.gateway.on('request', (event) => tries.push(event.tries))

    const result = await visit('jason')
    expect(delays).toEqual([])
    expect(delayedOnce).toBe(true)
    expect(result.status).toBe(200)
    expect(result.version).toBe('v2')
    // The first try outlived the ingress route's 1 s per-try timeout; the gateway's retry answered.
    expect(tries).toEqual([2])
  })
})
