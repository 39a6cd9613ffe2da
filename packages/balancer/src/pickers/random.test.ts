import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { createBalancer } from '../balancer/create-balancer.js'

const endpoint = (address: string, weight?: number) => ({ address, port: 80, weight })

function shares(pick: () => { address: string } | undefined, count: number): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const address = pick()!.address
    counts[address] = (counts[address] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).map(([address, n]) => [address, n / count]))
}

describe('RANDOM', () => {
  it('spreads equal-weight endpoints evenly within 2 % over 20,000 picks', () => {
    const balancer = createBalancer({ algorithm: 'RANDOM' }, ['a', 'b', 'c', 'd'].map((a) => endpoint(a)), { random: seededRandom(11) })
    const result = shares(() => balancer.pick(), 20_000)
    for (const address of ['a', 'b', 'c', 'd']) expect(Math.abs(result[address]! - 0.25)).toBeLessThan(0.02)
  })

  it('draws in proportion to endpoint weights 1:3', () => {
    const balancer = createBalancer({ algorithm: 'RANDOM' }, [endpoint('light', 1), endpoint('heavy', 3)], { random: seededRandom(12) })
    const result = shares(() => balancer.pick(), 20_000)
    expect(result.heavy).toBeGreaterThan(0.73)
    expect(result.heavy).toBeLessThan(0.77)
  })

  it('gives the same sequence for the same seed', () => {
    const make = () => createBalancer({ algorithm: 'RANDOM' }, ['a', 'b', 'c'].map((a) => endpoint(a)), { random: seededRandom(5) })
    const first = make()
    const second = make()
    const sequence = Array.from({ length: 50 }, () => first.pick()!.address)
    expect(Array.from({ length: 50 }, () => second.pick()!.address)).toEqual(sequence)
  })
})
