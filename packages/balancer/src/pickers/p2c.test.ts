import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'
import { constantLoad } from '../load/constant.js'
import { VirtualClock } from '../simulator/virtual-clock.js'
import { p2cPicker } from './p2c.js'

const endpoint = (address: string, weight?: number) => ({ address, port: 80, weight })

describe('PEAK_EWMA (P2C over peak-EWMA latency × (active + 1))', () => {
  it('sends almost nothing to an endpoint that answered slowly', () => {
    const clock = new VirtualClock()
    const endpoints = ['fast-1', 'fast-2', 'fast-3', 'slow'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'PEAK_EWMA' }, endpoints, { clock, random: seededRandom(31) })
    // Teach it: every endpoint answers once, the slow one in 400 ms, the others in 5 ms.
    for (const e of endpoints) {
      balancer.onStart(e)
      balancer.onFinish(e, e.address === 'slow' ? 400 : 5)
    }
    const counts: Record<string, number> = {}
    for (let i = 0; i < 1_000; i++) {
      clock.advance(1)
      const picked = balancer.pick()!
      counts[picked.address] = (counts[picked.address] ?? 0) + 1
      balancer.onStart(picked)
      balancer.onFinish(picked, picked.address === 'slow' ? 400 : 5)
    }
    expect(counts.slow ?? 0).toBe(0)
    expect((counts['fast-1'] ?? 0) + (counts['fast-2'] ?? 0) + (counts['fast-3'] ?? 0)).toBe(1_000)
  })

  it('prefers the endpoint with fewer calls in flight when latencies are equal', () => {
    const endpoints = ['a', 'b'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'PEAK_EWMA' }, endpoints, { random: seededRandom(32) })
    balancer.onStart(endpoints[0]!)
    expect(Array.from({ length: 20 }, () => balancer.pick()!.address)).toEqual(new Array(20).fill('b'))
  })

  it('uses the time the caller passes instead of reading the clock', () => {
    let reads = 0
    const clock = { now: () => (reads++, 0), setTimeout: () => ({}), clearTimeout: () => {} }
    const balancer = createBalancer({ algorithm: 'PEAK_EWMA' }, ['a', 'b'].map((a) => endpoint(a)), { clock, random: seededRandom(35) })
    reads = 0
    for (let i = 0; i < 10; i++) balancer.pick({ nowMs: 1_000 + i })
    expect(reads).toBe(0)
    balancer.pick()
    expect(reads).toBeGreaterThan(0)
  })

  it('takes its decay time and default RTT from options', () => {
    const clock = new VirtualClock()
    const balancer = createBalancer({ algorithm: 'PEAK_EWMA' }, [endpoint('a')], { clock, peakEwma: { defaultRttMs: 42, decayMs: 1_000 } })
    expect(balancer.describe().levels[0]!.localities[0]!.hosts[0]!.cost).toBe(42)
  })
})

describe('p2cPicker with another load metric', () => {
  it('is a plain random pick over a constant load (the picker never knows how load is measured)', () => {
    const balancer = createBalancer(undefined, ['a', 'b', 'c', 'd'].map((a) => endpoint(a)), {
      random: seededRandom(33),
      strategy: { picker: p2cPicker(), load: constantLoad() },
    })
    const counts: Record<string, number> = {}
    for (let i = 0; i < 8_000; i++) {
      const address = balancer.pick()!.address
      counts[address] = (counts[address] ?? 0) + 1
    }
    for (const n of Object.values(counts)) expect(Math.abs(n / 8_000 - 0.25)).toBeLessThan(0.03)
  })

  it('draws candidates by weight when weights differ', () => {
    const balancer = createBalancer(undefined, [endpoint('light', 1), endpoint('heavy', 9)], {
      random: seededRandom(34),
      strategy: { picker: p2cPicker(), load: constantLoad() },
    })
    const heavy = Array.from({ length: 5_000 }, () => balancer.pick()!.address).filter((a) => a === 'heavy').length
    expect(heavy / 5_000).toBeGreaterThan(0.87)
  })
})
