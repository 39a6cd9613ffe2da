import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'
import type { BalancerConfig } from '../config/config.js'
import { VirtualClock } from '../simulator/virtual-clock.js'
import { SlowStart } from './slow-start.js'

describe('SlowStart', () => {
  const slowStart = new SlowStart({ durationMs: 60_000, minimumPercent: 10, aggression: 1 })

  it('ramps linearly from the minimum to full weight over the window', () => {
    const host = { warmStartMs: 0 }
    expect(slowStart.factor(host, 0)).toBe(0.1) // 1 s of 60 s is below the 10 % floor
    expect(slowStart.factor(host, 15_000)).toBeCloseTo(0.25, 10)
    expect(slowStart.factor(host, 30_000)).toBeCloseTo(0.5, 10)
    expect(slowStart.factor(host, 60_000)).toBe(1)
    expect(host.warmStartMs).toBeUndefined()
  })

  it('bends the curve with aggression: time_factor^(1/aggression)', () => {
    const aggressive = new SlowStart({ durationMs: 60_000, minimumPercent: 0, aggression: 2 })
    expect(aggressive.factor({ warmStartMs: 0 }, 15_000)).toBeCloseTo(Math.sqrt(0.25), 10)
    const gentle = new SlowStart({ durationMs: 60_000, minimumPercent: 0, aggression: 0.5 })
    expect(gentle.factor({ warmStartMs: 0 }, 30_000)).toBeCloseTo(0.25, 10)
  })

  it('uses Istio’s defaults of 10 % and aggression 1.0', () => {
    const defaults = new SlowStart({ durationMs: 100_000 })
    expect(defaults.factor({ warmStartMs: 0 }, 5_000)).toBe(0.1)
    expect(defaults.factor({ warmStartMs: 0 }, 50_000)).toBeCloseTo(0.5, 10)
  })
})

describe('warmup in a balancer', () => {
  const endpoint = (address: string) => ({ address, port: 80 })
  const config = (algorithm: BalancerConfig['algorithm']): BalancerConfig => ({ algorithm, warmup: { durationMs: 60_000, minimumPercent: 10, aggression: 1 } })

  function newcomerShare(algorithm: BalancerConfig['algorithm'], atMs: number): number {
    const clock = new VirtualClock()
    const old = [endpoint('old-1'), endpoint('old-2'), endpoint('old-3')]
    const balancer = createBalancer(config(algorithm), old, { clock, random: seededRandom(61) })
    const newcomer = endpoint('new')
    balancer.setEndpoints([...old, newcomer])
    clock.advance(atMs)
    let count = 0
    for (let i = 0; i < 3_000; i++) if (balancer.pick()!.address === 'new') count++
    return count / 3_000
  }

  it.each(['ROUND_ROBIN', 'LEAST_REQUEST'] as const)('%s sends a new endpoint a growing share until it is fully warm', (algorithm) => {
    // With three warm peers of weight 1, a weight factor f gives the newcomer f / (3 + f).
    const early = newcomerShare(algorithm, 0)
    const middle = newcomerShare(algorithm, 30_000)
    const done = newcomerShare(algorithm, 61_000)
    expect(early).toBeCloseTo(0.1 / 3.1, 2)
    expect(middle).toBeCloseTo(0.5 / 3.5, 2)
    expect(done).toBeCloseTo(0.25, 2)
  })

  it('keeps the rotation moving while time passes between picks', () => {
    const clock = new VirtualClock()
    const old = [endpoint('old-1'), endpoint('old-2'), endpoint('old-3')]
    const balancer = createBalancer(config('ROUND_ROBIN'), old, { clock, random: seededRandom(62) })
    balancer.setEndpoints([...old, endpoint('new')])
    const perTenSeconds: number[] = []
    for (let window = 0; window < 7; window++) {
      let count = 0
      for (let i = 0; i < 1_000; i++) {
        clock.advance(10)
        if (balancer.pick()!.address === 'new') count++
      }
      perTenSeconds.push(count)
    }
    for (let i = 1; i < perTenSeconds.length; i++) expect(perTenSeconds[i]!).toBeGreaterThan(perTenSeconds[i - 1]!)
    expect(perTenSeconds[6]).toBe(250)
  })

  it('does not warm endpoints present when the balancer is created (they were already serving)', () => {
    const clock = new VirtualClock()
    const balancer = createBalancer(config('ROUND_ROBIN'), [endpoint('a'), endpoint('b')], { clock })
    expect(balancer.describe().levels[0]!.localities[0]!.hosts.map((h) => h.warmupFactor)).toEqual([1, 1])
  })

  it('is ignored by RANDOM, as Istio allows warmup for ROUND_ROBIN and LEAST_REQUEST only', () => {
    expect(newcomerShare('RANDOM', 0)).toBeCloseTo(0.25, 1)
  })
})
