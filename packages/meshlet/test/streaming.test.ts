import { describe, expect, it } from 'vitest'
import { at, mesh, upstream } from './helpers.js'

const CHUNK = Buffer.alloc(64 * 1024, 0x62)

describe('streaming bodies', () => {
  it('streams a large upload: the upstream receives bytes before the caller has produced the rest', async () => {
    let firstBytes!: () => void
    const upstreamSawBytes = new Promise<void>((resolve) => (firstBytes = resolve))
    const server = await upstream({
      readBody: false,
      fallback: async (_request, response, incoming) => {
        let received = 0
        for await (const chunk of incoming as AsyncIterable<Buffer>) {
          if (received === 0) firstBytes()
          received += chunk.length
        }
        response.end(String(received))
      },
    })
    const m = await mesh({ endpoints: { uploads: [at(server)] } })
    async function* body() {
      yield CHUNK
      // A mesh that buffered the body would never send this first chunk: the test would hang here.
      await upstreamSawBytes
      for (let i = 1; i < 64; i++) yield CHUNK
    }
    const response = await m.fetch('http://uploads/big', { method: 'PUT', body: body() as never, duplex: 'half' } as RequestInit)
    expect(await response.text()).toBe(String(64 * CHUNK.length))
  })

  it('streams a large download: the caller reads the first bytes before the upstream has written the rest', async () => {
    let release!: () => void
    const rest = new Promise<void>((resolve) => (release = resolve))
    const server = await upstream({
      fallback: async (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' })
        response.write(CHUNK)
        await rest
        for (let i = 1; i < 64; i++) if (!response.write(CHUNK)) await new Promise((resolve) => response.once('drain', resolve))
        response.end()
      },
    })
    const m = await mesh({ endpoints: { downloads: [at(server)] } })
    const response = await m.fetch('http://downloads/big')
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(first.value!.byteLength).toBeGreaterThan(0)
    release()
    let total = first.value!.byteLength
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
    }
    expect(total).toBe(64 * CHUNK.length)
  })

  it('accepts web ReadableStream, Blob, URLSearchParams and FormData bodies with fetch content types', async () => {
    const server = await upstream()
    const m = await mesh({ endpoints: { forms: [at(server)] } })
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('web-'))
        controller.enqueue(new TextEncoder().encode('stream'))
        controller.close()
      },
    })
    await (await m.fetch('http://forms/a', { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).arrayBuffer()
    await (await m.fetch('http://forms/b', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) })).arrayBuffer()
    await (await m.fetch('http://forms/c', { method: 'POST', body: new Blob(['blob!'], { type: 'text/x-blob' }) })).arrayBuffer()
    const form = new FormData()
    form.set('field', 'value')
    await (await m.fetch('http://forms/d', { method: 'POST', body: form })).arrayBuffer()
    const [a, b, c, d] = server.requests
    expect(a!.body).toBe('web-stream')
    expect(b!.body).toBe('a=1&b=two')
    expect(b!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(c!.body).toBe('blob!')
    expect(c!.headers['content-type']).toBe('text/x-blob')
    expect(d!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(d!.body).toContain('name="field"')
  })
})
