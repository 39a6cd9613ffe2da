import { StringDecoder } from 'node:string_decoder'

/**
 * Splits a byte stream into lines (a watch stream is one JSON event per line), decoding UTF-8
 * across chunk boundaries. Empty lines are skipped; a last line without a newline is yielded.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk)
    let newline = pending.indexOf('\n')
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim()
      pending = pending.slice(newline + 1)
      if (line !== '') yield line
      newline = pending.indexOf('\n')
    }
  }
  const last = (pending + decoder.end()).trim()
  if (last !== '') yield last
}
