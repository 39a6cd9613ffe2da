/**
 * A digest of a rule file's bytes, to notice that it changed since the snapshot was written: two
 * 32-bit FNV-1a hashes with different offsets, and the length, as hex. Not a security check (the
 * snapshot is trusted like the rules it came from); plain JavaScript so that comparing a few small
 * files at a cold start does not load node:crypto (measured: 7 ms of a 50 ms start).
 */
export function sourceDigest(bytes: Uint8Array): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    a = Math.imul(a ^ byte, 0x01000193)
    b = Math.imul(b ^ byte, 0x01000193) ^ (b >>> 15)
  }
  return `fnv1a:${bytes.length.toString(16)}:${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`
}
