import { describe, expect, it } from 'vitest'
import { compose } from './compose.js'
import type { Layer } from './handler.js'
import { isMeshError } from '../errors/mesh-error.js'

const tag = (name: string): Layer<string[], string[], void> => (next) => async (trail, ctx) => {
  const result = await next([...trail, `${name}>`], ctx)
  return [...result, `<${name}`]
}

describe('compose', () => {
  it('runs layers outermost first and unwinds them in reverse', async () => {
    const handler = compose(tag('a'), tag('b'))(async (trail) => [...trail, 'terminal'])
    expect(await handler([], undefined)).toEqual(['a>', 'b>', 'terminal', '<b', '<a'])
  })

  it('with no layers is the terminal handler itself', async () => {
    const terminal = async (trail: string[]) => trail
    expect(compose<string[], string[], void>()(terminal)).toBe(terminal)
  })

  it('rejects a layer that is not a function when the stack is built', () => {
    try {
      compose(tag('a'), 42 as never)
      expect.unreachable()
    } catch (error) {
      expect(isMeshError(error, 'MESHLET_ERR_INVALID_ARGUMENT')).toBe(true)
      expect((error as Error).message).toContain('layer 1')
    }
  })
})
