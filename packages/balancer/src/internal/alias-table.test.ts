import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/core'
import { AliasTable } from './alias-table.js'

describe('AliasTable', () => {
  it('draws each index in proportion to its weight', () => {
    const table = new AliasTable([1, 2, 3, 4])
    const random = seededRandom(5)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 100_000; i++) counts[table.draw(random())]! += 1
    counts.forEach((count, index) => expect(Math.abs(count / 100_000 - (index + 1) / 10)).toBeLessThan(0.005))
  })

  it('never draws an index of weight 0', () => {
    const table = new AliasTable([0, 5, 0, 1])
    const random = seededRandom(6)
    for (let i = 0; i < 10_000; i++) expect([1, 3]).toContain(table.draw(random()))
  })
})
