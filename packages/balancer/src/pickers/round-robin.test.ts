import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'
import { VirtualClock } from '../simulator/virtual-clock.js'

const endpoint = (address: string, weight?: number) => ({ address, port: 80, weight })

function picks(balancer: { pick(): { address: string } | undefined }, count: number): string[] {
  return Array.from({ length: count }, () => balancer.pick()!.address)
}

describe('ROUND_ROBIN', () => {
  it('rotates through equal-weight endpoints in list order, each once per round', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, ['a', 'b', 'c', 'd'].map((a) => endpoint(a)), { random: seededRandom(1) })
    const sequence = picks(balancer, 12)
    const order = ['a', 'b', 'c', 'd']
    const start = order.indexOf(sequence[0]!)
    expect(sequence).toEqual(Array.from({ length: 12 }, (_, i) => order[(start + i) % 4]))
  })

  it('starts the rotation at a random endpoint so clients started together do not align', () => {
    const firsts = new Set(
      Array.from({ length: 20 }, (_, seed) =>
        createBalancer({ algorithm: 'ROUND_ROBIN' }, ['a', 'b', 'c', 'd'].map((a) => endpoint(a)), { random: seededRandom(seed) }).pick()!.address,
      ),
    )
    expect(firsts.size).toBeGreaterThan(1)
  })

  it('follows Envoy’s earliest-deadline schedule for weights 2:1 (A B A, repeated)', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('a', 2), endpoint('b', 1)])
    expect(picks(balancer, 9)).toEqual(['a', 'b', 'a', 'a', 'b', 'a', 'a', 'b', 'a'])
  })

  it('replays the same schedule for fractional weights in the same ratio', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('a', 2.5), endpoint('b', 1.25)])
    expect(picks(balancer, 9)).toEqual(['a', 'b', 'a', 'a', 'b', 'a', 'a', 'b', 'a'])
  })

  it('gives weights 5:1:1 exactly 5, 1 and 1 picks in every window of seven', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('a', 5), endpoint('b', 1), endpoint('c', 1)])
    const sequence = picks(balancer, 700)
    expect(sequence.slice(0, 14)).toEqual(['a', 'a', 'a', 'a', 'b', 'c', 'a', 'a', 'a', 'a', 'a', 'b', 'c', 'a'])
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>
    for (const address of sequence) counts[address]! += 1
    expect(counts).toEqual({ a: 500, b: 100, c: 100 })
  })

  it('spreads traffic by ServiceEntry weights 1:3', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('light', 1), endpoint('heavy', 3)])
    const sequence = picks(balancer, 400)
    expect(sequence.filter((a) => a === 'heavy')).toHaveLength(300)
  })

  it('counts a missing or zero weight as 1, as Envoy’s minimum weight', () => {
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, [endpoint('a', 0), endpoint('b'), endpoint('c', 2)])
    const sequence = picks(balancer, 400)
    expect(sequence.filter((a) => a === 'a')).toHaveLength(100)
    expect(sequence.filter((a) => a === 'b')).toHaveLength(100)
  })

  it('skips an ejected endpoint and takes it back when it returns', () => {
    const clock = new VirtualClock()
    const endpoints = ['a', 'b', 'c'].map((a) => endpoint(a))
    const balancer = createBalancer({ algorithm: 'ROUND_ROBIN' }, endpoints, { clock, random: seededRandom(3) })
    balancer.setEjected(endpoints[1]!, true)
    expect(new Set(picks(balancer, 30))).toEqual(new Set(['a', 'c']))
    balancer.setEjected(endpoints[1]!, false)
    expect(new Set(picks(balancer, 30))).toEqual(new Set(['a', 'b', 'c']))
  })
})
