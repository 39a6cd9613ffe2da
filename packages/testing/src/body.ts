/** Reads a body (a web stream, a Node stream or any async iterable of bytes) to text. */
export async function readText(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null): Promise<string> {
  if (body === null) return ''
  const chunks: Uint8Array[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}
