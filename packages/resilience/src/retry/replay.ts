import type { MeshRequest } from '@meshlet/core'

/** Why a body cannot be sent again: it is (or grew) larger than the replay buffer limit. */
export type ReplayBlock = 'body-too-large'

/** Request bodies as the data plane carries them (core's MeshBody): replayable values or a one-shot stream. */
export type ReplayableBody = null | string | Uint8Array | AsyncIterable<Uint8Array>

/** How one call sends its body on each try. */
export interface BodyReplay<B extends ReplayableBody = ReplayableBody> {
  /** The body for the next try: the value itself, or a stream that replays what earlier tries read. */
  bodyForTry(): B | AsyncIterable<Uint8Array>
  /** Why the body cannot be sent again, or undefined. */
  blockedBy(): ReplayBlock | undefined
  /** Drops the replay buffer. */
  dispose(): void
}

/**
 * Keeps a request body sendable on several tries, as Envoy buffers a request for retries up to its
 * buffer limit. A string or bytes body is sent as it is on every try when it fits in
 * `limitBytes`; a larger one is sent once (and `blockedBy` says why). A stream is read through a
 * tee that keeps the chunks read so far while they fit in `limitBytes`: a retry sends them again,
 * then carries on reading the stream; once the stream outgrows the limit the buffer is dropped and
 * the request can no longer be retried. The first try pays nothing for a body it never replays
 * beyond the buffered chunks.
 */
export function createBodyReplay<B extends ReplayableBody>(body: B, limitBytes: number): BodyReplay<B> {
  if (body === null) return { bodyForTry: () => body, blockedBy: () => undefined, dispose: noop }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const block = valueBodyBlock(body, limitBytes)
    return { bodyForTry: () => body, blockedBy: () => block, dispose: noop }
  }
  return new StreamReplay(body as AsyncIterable<Uint8Array>, limitBytes)
}

/**
 * How one call sends its request on several tries. Only a streamed body needs one (a string,
 * bytes or no body is sent as it is); see createBodyReplay.
 */
export interface RequestReplay {
  /** The request for the next try. */
  requestForTry(): MeshRequest
  /** Why the request cannot be sent again, or undefined when it can. */
  blockedBy(): ReplayBlock | undefined
  /** Called once the call is over: releases the buffer. */
  dispose(): void
}

/** The replay of a request with a streamed body: each try gets a body that replays what earlier tries read. */
export function streamedRequestReplay(request: MeshRequest, limitBytes: number): RequestReplay {
  const replay = new StreamReplay(request.body as AsyncIterable<Uint8Array>, limitBytes)
  return {
    requestForTry: () => ({ ...request, body: replay.bodyForTry() }),
    blockedBy: () => replay.blockedBy(),
    dispose: () => replay.dispose(),
  }
}

/** Why a value body (string or bytes) cannot be sent again: it is larger than the replay limit (Envoy's buffer limit). */
export function valueBodyBlock(body: string | Uint8Array | null, limitBytes: number): ReplayBlock | undefined {
  if (body === null) return undefined
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
  return size > limitBytes ? 'body-too-large' : undefined
}

class StreamReplay implements BodyReplay<AsyncIterable<Uint8Array>> {
  readonly #source: AsyncIterable<Uint8Array>
  readonly #limitBytes: number
  #iterator: AsyncIterator<Uint8Array> | undefined
  #chunks: Uint8Array[] = []
  #bufferedBytes = 0
  #overflowed = false
  #done = false

  constructor(source: AsyncIterable<Uint8Array>, limitBytes: number) {
    this.#source = source
    this.#limitBytes = limitBytes
  }

  blockedBy(): ReplayBlock | undefined {
    return this.#overflowed ? 'body-too-large' : undefined
  }

  dispose(): void {
    this.#chunks = []
    this.#bufferedBytes = 0
  }

  bodyForTry(): AsyncIterable<Uint8Array> {
    return { [Symbol.asyncIterator]: () => this.#tryIterator() }
  }

  #tryIterator(): AsyncIterator<Uint8Array> {
    let replayed = 0
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        if (!this.#overflowed && replayed < this.#chunks.length) return { value: this.#chunks[replayed++]!, done: false }
        if (this.#done) return { value: undefined, done: true }
        this.#iterator ??= this.#source[Symbol.asyncIterator]()
        const result = await this.#iterator.next()
        if (result.done === true) {
          this.#done = true
          return { value: undefined, done: true }
        }
        this.#keep(result.value)
        replayed = this.#chunks.length
        return result
      },
      // A try that stops reading (its connection failed) must not close the source: a retry reads on.
      return: async (): Promise<IteratorResult<Uint8Array>> => ({ value: undefined, done: true }),
    }
  }

  #keep(chunk: Uint8Array): void {
    if (this.#overflowed) return
    this.#bufferedBytes += chunk.byteLength
    if (this.#bufferedBytes > this.#limitBytes) {
      this.#overflowed = true
      this.#chunks = []
      this.#bufferedBytes = 0
      return
    }
    this.#chunks.push(chunk)
  }
}

function noop(): void {}
