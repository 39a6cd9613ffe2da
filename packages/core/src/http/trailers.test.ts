import { describe, expect, it } from 'vitest'
import { TrailerCollector, trailersOf } from './trailers.js'

describe('response trailers', () => {
  it('tells every listener the merged trailer blocks once the stream ended, pseudo-headers left out', async () => {
    const collector = new TrailerCollector()
    const heard: unknown[] = []
    collector.whenReceived((trailers) => heard.push(trailers))
    collector.received({ 'grpc-status': '0', ':status': '200' })
    collector.received({ 'x-extra': ['a', 'b'] })
    expect(heard).toEqual([])
    collector.ended()
    expect(heard).toEqual([{ 'grpc-status': '0', 'x-extra': ['a', 'b'] }])
    expect(await trailersOf({ trailers: collector })).toEqual({ 'grpc-status': '0', 'x-extra': ['a', 'b'] })
  })

  it('says undefined for a stream that failed before its end, and an empty object for one without trailers', async () => {
    const failed = new TrailerCollector()
    failed.received({ 'grpc-status': '0' })
    failed.failed()
    failed.ended()
    expect(await trailersOf({ trailers: failed })).toBeUndefined()
    const bare = new TrailerCollector()
    bare.ended()
    expect(await trailersOf({ trailers: bare })).toEqual({})
    expect(await trailersOf({})).toEqual({})
  })
})
