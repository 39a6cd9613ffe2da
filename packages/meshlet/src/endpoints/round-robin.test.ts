import { describe, expect, it } from 'vitest'
import type { MeshEndpoint } from '@meshlet/core'
import type { MeshCallContext, MeshCallTarget } from '../call-context.js'
import { roundRobinPicker } from './round-robin.js'

const endpoint = (id: string): MeshEndpoint => ({ id, address: id, port: 80, labels: {}, locality: undefined, weight: 1 })
const [a, b, c] = [endpoint('a'), endpoint('b'), endpoint('c')]
const target = (key: string, endpoints: MeshEndpoint[]) => ({ key, endpoints }) as unknown as MeshCallTarget
const context = (tried: MeshEndpoint[] = []) => ({ triedEndpoints: tried }) as unknown as MeshCallContext

describe('roundRobinPicker', () => {
  it('takes the endpoints of a cluster in turn', () => {
    const picker = roundRobinPicker()
    const cluster = target('k', [a, b, c])
    expect([1, 2, 3, 4].map(() => picker.pick(cluster, {} as never, context())!.id)).toEqual(['a', 'b', 'c', 'a'])
  })

  it('keeps a separate turn per cluster', () => {
    const picker = roundRobinPicker()
    picker.pick(target('one', [a, b]), {} as never, context())
    expect(picker.pick(target('two', [a, b]), {} as never, context())!.id).toBe('a')
  })

  it('skips endpoints earlier tries used while another is left', () => {
    const picker = roundRobinPicker()
    expect(picker.pick(target('k', [a, b, c]), {} as never, context([a, b]))!.id).toBe('c')
    expect(picker.pick(target('k2', [a]), {} as never, context([a]))!.id).toBe('a')
  })

  it('has nothing to pick from an empty cluster', () => {
    expect(roundRobinPicker().pick(target('k', []), {} as never, context())).toBeUndefined()
  })
})
