import { discardBody } from '@meshlet/core'
import type { MeshResponseBody } from '@meshlet/core'

/**
 * The response body, reporting once (`done`) when it has been read to the end, failed, or been
 * cancelled or discarded, so layers can hold a pool slot or a route timeout until then.
 */
export function bodyWithDone(body: MeshResponseBody, done: () => void): MeshResponseBody {
  if (body === null) {
    done()
    return null
  }
  let finished = false
  const finish = (): void => {
    if (finished) return
    finished = true
    done()
  }
  let iterator: AsyncIterator<Uint8Array> | undefined
  const source = body
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      iterator ??= source[Symbol.asyncIterator]()
      const inner = iterator
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          try {
            const result = await inner.next()
            if (result.done === true) finish()
            return result
          } catch (error) {
            finish()
            throw error
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          finish()
          await inner.return?.()
          return { value: undefined, done: true }
        },
      }
    },
    /** discardBody's way in: releases the source and reports done. */
    async cancel(): Promise<void> {
      finish()
      if (iterator === undefined) discardBody(source)
      else await iterator.return?.()
    },
  } as AsyncIterable<Uint8Array>
}
