import { describe, expect, it } from 'vitest'
import { FrameReader } from './frames.js'

const frame = (text: string) => {
  const body = Buffer.from(text)
  const head = Buffer.alloc(5)
  head.writeUInt32BE(body.length, 1)
  return Buffer.concat([head, body])
}

describe('FrameReader', () => {
  it('hands on whole framed messages however the bytes are cut', () => {
    const bytes = Buffer.concat([frame('one'), frame(''), frame('three')])
    for (const cut of [1, 2, 4, 5, 7, 100]) {
      const reader = new FrameReader()
      const out: string[] = []
      for (let at = 0; at < bytes.length; at += cut) out.push(...reader.push(bytes.subarray(at, at + cut)).map((m) => m.subarray(5).toString()))
      expect(out).toEqual(['one', '', 'three'])
      expect(reader.leftover).toBe(0)
    }
  })

  it('keeps an incomplete message until its last byte', () => {
    const reader = new FrameReader()
    expect(reader.push(frame('hello').subarray(0, 7))).toEqual([])
    expect(reader.leftover).toBe(7)
  })
})
