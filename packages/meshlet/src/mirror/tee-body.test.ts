import { describe, expect, it } from 'vitest'
import { readText } from '@meshlet/testing'
import { teeBody } from './tee-body.js'

async function* source(parts: string[]) {
  for (const part of parts) yield Buffer.from(part)
}

describe('teeBody', () => {
  it('gives the shadow every chunk the primary reads', async () => {
    const { primary, shadow } = teeBody(source(['a', 'b', 'c']))
    const shadowText = readText(shadow)
    expect(await readText(primary)).toBe('abc')
    expect(await shadowText).toBe('abc')
  })

  it('never waits for the shadow: the primary finishes while nobody reads the shadow', async () => {
    const { primary } = teeBody(source(['x', 'y']))
    expect(await readText(primary)).toBe('xy')
  })

  it('cuts the shadow off when it falls further behind than the limit', async () => {
    const { primary, shadow } = teeBody(source(['12345', '67890']), 6)
    await readText(primary)
    await expect(readText(shadow)).rejects.toThrow(/fell behind/)
  })

  it('fails the shadow when the primary stops reading early', async () => {
    const { primary, shadow } = teeBody(source(['a', 'b', 'c']))
    for await (const _ of primary) break
    await expect(readText(shadow)).rejects.toThrow(/not read to the end/)
  })
})
