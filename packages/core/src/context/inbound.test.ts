import { describe, expect, it } from 'vitest'
import { currentInboundContext, pickPropagatedHeaders, runWithInboundContext } from './inbound.js'

describe('inbound context', () => {
  it('is visible in everything awaited inside the run and gone outside it', async () => {
    const context = { propagatedHeaders: { 'x-request-id': 'abc' }, deadlineMs: 500, sourceIp: '10.0.0.1' }
    const seen = await runWithInboundContext(context, async () => {
      await new Promise((resolve) => setImmediate(resolve))
      return currentInboundContext()
    })
    expect(seen).toBe(context)
    expect(currentInboundContext()).toBeUndefined()
  })

  it('keeps two concurrent requests apart', async () => {
    const read = (id: string) =>
      runWithInboundContext({ propagatedHeaders: { 'x-request-id': id }, deadlineMs: undefined, sourceIp: undefined }, async () => {
        await new Promise((resolve) => setImmediate(resolve))
        return currentInboundContext()?.propagatedHeaders['x-request-id']
      })
    expect(await Promise.all([read('a'), read('b')])).toEqual(['a', 'b'])
  })
})

describe('pickPropagatedHeaders', () => {
  it('copies only the listed headers that are present, joining repeated values', () => {
    const picked = pickPropagatedHeaders({ 'x-request-id': 'r1', 'end-user': ['jason', 'bob'], other: 'x' }, ['x-request-id', 'end-user', 'traceparent'])
    expect(picked).toEqual({ 'x-request-id': 'r1', 'end-user': 'jason, bob' })
  })
})
