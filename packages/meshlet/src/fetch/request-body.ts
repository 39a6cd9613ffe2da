import type { MeshBody } from '@meshlet/core'

export interface ConvertedBody {
  readonly body: MeshBody
  /** The content-type fetch would add for this body type when the caller set none. */
  readonly contentType: string | undefined
}

/**
 * A fetch body (BodyInit, or a Node stream / async iterable as Node's fetch accepts with
 * `duplex: 'half'`) as a MeshBody, without reading it: strings and bytes stay as they are, streams
 * stay streams. Blob, FormData and URLSearchParams go through a Response to get fetch's own
 * encoding and content-type.
 */
export function convertBody(body: unknown): ConvertedBody {
  if (body === null || body === undefined) return { body: null, contentType: undefined }
  if (typeof body === 'string') return { body, contentType: 'text/plain;charset=UTF-8' }
  if (body instanceof Uint8Array) return { body, contentType: undefined }
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body), contentType: undefined }
  if (ArrayBuffer.isView(body)) return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), contentType: undefined }
  if (body instanceof URLSearchParams) return { body: body.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }
  if (isAsyncIterable(body)) return { body, contentType: undefined }
  if (body instanceof Blob || body instanceof FormData) {
    const encoded = new Response(body as ConstructorParameters<typeof Response>[0])
    return { body: encoded.body as unknown as AsyncIterable<Uint8Array>, contentType: encoded.headers.get('content-type') ?? undefined }
  }
  throw new TypeError(`unsupported body type ${Object.prototype.toString.call(body)}`)
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
}
