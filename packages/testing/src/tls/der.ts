/**
 * Just enough DER (ITU-T X.690) to write an X.509 certificate: each helper returns the encoded
 * TLV. Only what certificates.ts needs is here.
 */

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items))
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items))
export const octetString = (content: Uint8Array): Buffer => tlv(0x04, content)
export const bitString = (content: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), content]))
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]))
/** [n] EXPLICIT: a constructed context-specific tag around an encoded value. */
export const explicit = (n: number, value: Uint8Array): Buffer => tlv(0xa0 + n, value)
/** [n] IMPLICIT primitive: a context-specific tag replacing the value's own (GeneralName choices). */
export const implicit = (n: number, content: Uint8Array): Buffer => tlv(0x80 + n, content)

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
export function integer(bytes: Uint8Array): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const trimmed = Buffer.from(bytes.subarray(start))
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

export function objectIdentifier(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const bytes: number[] = [40 * parts[0]! + parts[1]!]
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f]
    for (let rest = part >>> 7; rest > 0; rest >>>= 7) chunk.unshift((rest & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** GeneralizedTime (valid for any year), `YYYYMMDDHHMMSSZ`. */
export function generalizedTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return tlv(0x18, Buffer.from(text, 'ascii'))
}
