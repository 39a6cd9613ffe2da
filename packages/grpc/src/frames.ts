/**
 * gRPC's length-prefixed messages (the gRPC over HTTP/2 protocol: a compressed flag byte, a 4-byte
 * big-endian length, the message), read from a body that arrives in arbitrary chunks. Each message
 * is handed on whole and still framed, as grpc-js's own HTTP/2 call hands it to the layers above
 * (which read the flag and decompress).
 */
export class FrameReader {
  #pending: Buffer[] = []
  #pendingBytes = 0

  /** Adds a chunk; returns the whole framed messages it completes, oldest first. */
  push(chunk: Uint8Array): Buffer[] {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    this.#pending.push(buffer)
    this.#pendingBytes += buffer.length
    const out: Buffer[] = []
    for (;;) {
      if (this.#pendingBytes < 5) break
      const head = this.#peek(5)
      const length = head.readUInt32BE(1)
      if (this.#pendingBytes < 5 + length) break
      out.push(this.#take(5 + length))
    }
    return out
  }

  /** Bytes of an incomplete message left over (a stream that ends with some is malformed). */
  get leftover(): number {
    return this.#pendingBytes
  }

  #peek(bytes: number): Buffer {
    if (this.#pending[0]!.length >= bytes) return this.#pending[0]!
    this.#pending = [Buffer.concat(this.#pending)]
    return this.#pending[0]!
  }

  #take(bytes: number): Buffer {
    const first = this.#pending[0]!
    if (first.length === bytes) {
      this.#pending.shift()
      this.#pendingBytes -= bytes
      return first
    }
    if (first.length > bytes) {
      this.#pending[0] = first.subarray(bytes)
      this.#pendingBytes -= bytes
      return first.subarray(0, bytes)
    }
    const joined = Buffer.concat(this.#pending)
    this.#pending = joined.length > bytes ? [joined.subarray(bytes)] : []
    this.#pendingBytes -= bytes
    return joined.subarray(0, bytes)
  }
}
