import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { RESPONSE_BUFFER_BYTES, UpstreamBody } from './upstream-body.js'

/** A try as the body sees it: counts resumes and abandons. */
function fakeTry() {
  const calls = { resumed: 0, abandoned: 0 }
  return { calls, source: { resume: () => void (calls.resumed += 1), abandon: () => void (calls.abandoned += 1) } }
}

async function webText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text()
}

describe('UpstreamBody', () => {
  it('hands chunks that came before the reader, then the rest, to a Node Readable', async () => {
    const { source } = fakeTry()
    const body = new UpstreamBody(source)
    body.upstreamData(Buffer.from('ab'))
    const readable = body.toReadable()
    expect(readable).toBeInstanceOf(Readable)
    body.upstreamData(Buffer.from('cd'))
    body.upstreamEnded()
    expect(await text(readable)).toBe('abcd')
  })

  it('becomes a web stream for a fetch reader, with a body already complete', async () => {
    const { source } = fakeTry()
    const body = new UpstreamBody(source)
    body.upstreamData(Buffer.from('whole'))
    body.upstreamEnded()
    expect(await webText(body.toWebStream())).toBe('whole')
  })

  it('gives the same stream to a second call of the same kind', () => {
    const body = new UpstreamBody(fakeTry().source)
    expect(body.toReadable()).toBe(body.toReadable())
    const other = new UpstreamBody(fakeTry().source)
    expect(other.toWebStream()).toBe(other.toWebStream())
  })

  it('asks the socket to pause once unread early chunks reach the buffer limit, and resumes it when a reader comes', () => {
    const { calls, source } = fakeTry()
    const body = new UpstreamBody(source)
    expect(body.upstreamData(Buffer.alloc(RESPONSE_BUFFER_BYTES - 1))).toBe(true)
    expect(body.upstreamData(Buffer.alloc(1))).toBe(false)
    body.toReadable()
    expect(calls.resumed).toBe(1)
  })

  it('stops the try when destroyed before anyone read it (discardBody)', () => {
    const { calls, source } = fakeTry()
    const body = new UpstreamBody(source)
    body.destroy()
    expect(calls.abandoned).toBe(1)
    expect(body.upstreamData(Buffer.from('late'))).toBe(false)
  })

  it('stops the try when the web reader cancels, and not again once the body ended', async () => {
    const { calls, source } = fakeTry()
    const body = new UpstreamBody(source)
    await body.toWebStream().cancel()
    expect(calls.abandoned).toBe(1)
    const ended = fakeTry()
    const complete = new UpstreamBody(ended.source)
    complete.upstreamEnded()
    complete.destroy()
    expect(ended.calls.abandoned).toBe(0)
  })

  it('errors the reader stream when the try fails after the headers', async () => {
    const body = new UpstreamBody(fakeTry().source)
    const readable = body.toReadable()
    body.upstreamFailed(new Error('reset mid-body'))
    await expect(text(readable)).rejects.toThrow('reset mid-body')
  })

  it('runs whenOver listeners once the transport marks the try over, and at once afterwards', () => {
    const body = new UpstreamBody(fakeTry().source)
    const seen: string[] = []
    body.whenOver(() => seen.push('first'))
    body.whenOver(() => seen.push('second'))
    body.markOver()
    body.markOver()
    body.whenOver(() => seen.push('late'))
    expect(seen).toEqual(['first', 'second', 'late'])
  })
})
