import { describe, expect, it } from 'vitest'
import { chunks, readBody } from '../../test/support/scripted.js'
import { createBodyReplay } from './replay.js'

describe('createBodyReplay', () => {
  it('sends a string or bytes body as it is on every try when it fits the limit', () => {
    const replay = createBodyReplay('hello', 10)
    expect(replay.bodyForTry()).toBe('hello')
    expect(replay.bodyForTry()).toBe('hello')
    expect(replay.blockedBy()).toBeUndefined()
    expect(createBodyReplay(null, 0).blockedBy()).toBeUndefined()
  })

  it('blocks retries of a body larger than the limit, counting bytes not characters', () => {
    expect(createBodyReplay('ééé', 5).blockedBy()).toBe('body-too-large')
    expect(createBodyReplay(new Uint8Array(11), 10).blockedBy()).toBe('body-too-large')
    expect(createBodyReplay('ééé', 6).blockedBy()).toBeUndefined()
  })

  it('replays a stream read by an earlier try', async () => {
    const replay = createBodyReplay(chunks('ab', 'cd', 'ef'), 100)
    expect(await readBody(replay.bodyForTry())).toBe('abcdef')
    expect(replay.blockedBy()).toBeUndefined()
    expect(await readBody(replay.bodyForTry())).toBe('abcdef')
  })

  it('replays the part an interrupted try read, then reads on from the stream', async () => {
    const replay = createBodyReplay(chunks('ab', 'cd', 'ef'), 100)
    const first = replay.bodyForTry()[Symbol.asyncIterator]()
    expect(Buffer.from((await first.next()).value as Uint8Array).toString()).toBe('ab')
    await first.return?.()
    expect(await readBody(replay.bodyForTry())).toBe('abcdef')
  })

  it('sends a stream untouched by an earlier try in full', async () => {
    const replay = createBodyReplay(chunks('xy', 'z'), 100)
    replay.bodyForTry()
    expect(await readBody(replay.bodyForTry())).toBe('xyz')
  })

  it('stops buffering and blocks retries once a stream outgrows the limit, still sending it whole once', async () => {
    const replay = createBodyReplay(chunks('aaaa', 'bbbb', 'cccc'), 6)
    expect(await readBody(replay.bodyForTry())).toBe('aaaabbbbcccc')
    expect(replay.blockedBy()).toBe('body-too-large')
  })
})
