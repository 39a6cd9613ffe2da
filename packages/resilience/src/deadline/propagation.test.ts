import { describe, expect, it } from 'vitest'
import { formatGrpcTimeout, parseGrpcTimeoutMs } from './grpc-timeout.js'
import { expectedTimeoutMs, inboundDeadline, outboundTimeoutMs, parseExpectedTimeoutMs } from './propagation.js'
import { earlierDeadline, isExpired, remainingMs } from './deadline.js'

const headers = (values: Record<string, string>) => (name: string) => values[name]

describe('grpc-timeout', () => {
  it('reads every unit of the gRPC format', () => {
    expect(parseGrpcTimeoutMs('100m')).toBe(100)
    expect(parseGrpcTimeoutMs('5S')).toBe(5000)
    expect(parseGrpcTimeoutMs('2M')).toBe(120_000)
    expect(parseGrpcTimeoutMs('1H')).toBe(3_600_000)
    expect(parseGrpcTimeoutMs('2500u')).toBe(2.5)
    expect(parseGrpcTimeoutMs('3000000n')).toBe(3)
    expect(parseGrpcTimeoutMs('99999999S')).toBe(99_999_999_000)
  })

  it('rejects malformed values', () => {
    for (const value of ['', 'm', '10', '10s', '-5m', '1.5S', '123456789m', ' 5S', '5 S']) {
      expect(parseGrpcTimeoutMs(value), value).toBeUndefined()
    }
  })

  it('writes milliseconds while they fit in eight digits, then larger units rounded up', () => {
    expect(formatGrpcTimeout(250)).toBe('250m')
    expect(formatGrpcTimeout(99_999_999)).toBe('99999999m')
    expect(formatGrpcTimeout(100_000_000)).toBe('100000S')
    expect(formatGrpcTimeout(100_000_001)).toBe('100001S')
    expect(formatGrpcTimeout(0.4)).toBe('1m')
    expect(parseGrpcTimeoutMs(formatGrpcTimeout(12_345))).toBe(12_345)
  })
})

describe('deadline propagation', () => {
  it('takes the inbound deadline from x-envoy-expected-rq-timeout-ms', () => {
    expect(inboundDeadline(headers({ 'x-envoy-expected-rq-timeout-ms': '1500' }), 10_000)).toBe(11_500)
  })

  it('takes the smallest of the own timeout, the Envoy header and grpc-timeout for gRPC requests', () => {
    const grpc = headers({ 'content-type': 'application/grpc+proto', 'grpc-timeout': '200m', 'x-envoy-expected-rq-timeout-ms': '900' })
    expect(inboundDeadline(grpc, 0)).toBe(200)
    expect(inboundDeadline(grpc, 0, 50)).toBe(50)
  })

  it('ignores grpc-timeout on a request that is not gRPC, and malformed headers', () => {
    expect(inboundDeadline(headers({ 'grpc-timeout': '200m' }), 0)).toBeUndefined()
    expect(inboundDeadline(headers({ 'x-envoy-expected-rq-timeout-ms': '12ms' }), 0)).toBeUndefined()
    expect(inboundDeadline(headers({ 'x-envoy-expected-rq-timeout-ms': '-1' }), 0, 300)).toBe(300)
  })

  it('parses only whole non-negative milliseconds', () => {
    expect(parseExpectedTimeoutMs('0')).toBe(0)
    expect(parseExpectedTimeoutMs('250')).toBe(250)
    expect(parseExpectedTimeoutMs('2.5')).toBeUndefined()
    expect(parseExpectedTimeoutMs('')).toBeUndefined()
  })

  it('gives an outbound call the smaller of its route timeout and the time left', () => {
    expect(outboundTimeoutMs(1000, 10_400, 10_000)).toBe(400)
    expect(outboundTimeoutMs(300, 10_400, 10_000)).toBe(300)
    expect(outboundTimeoutMs(undefined, 10_400, 10_000)).toBe(400)
    expect(outboundTimeoutMs(300, undefined, 10_000)).toBe(300)
    expect(outboundTimeoutMs(undefined, undefined, 10_000)).toBeUndefined()
    expect(outboundTimeoutMs(300, 9000, 10_000)).toBe(0)
  })

  it('sends the per-try timeout upstream, bounded by the time left, and 1 ms when none is left', () => {
    expect(expectedTimeoutMs(200, 10_500, 10_000)).toBe(200)
    expect(expectedTimeoutMs(undefined, 10_500, 10_000)).toBe(500)
    expect(expectedTimeoutMs(800, 10_500, 10_000)).toBe(500)
    expect(expectedTimeoutMs(200, 9000, 10_000)).toBe(1)
    expect(expectedTimeoutMs(undefined, undefined, 10_000)).toBeUndefined()
  })
})

describe('deadline arithmetic', () => {
  it('has no deadline as infinite time left', () => {
    expect(remainingMs(undefined, 5)).toBe(Number.POSITIVE_INFINITY)
    expect(remainingMs(100, 40)).toBe(60)
    expect(remainingMs(100, 140)).toBe(0)
    expect(isExpired(100, 100)).toBe(true)
    expect(isExpired(undefined, 1e12)).toBe(false)
    expect(earlierDeadline(undefined, 5)).toBe(5)
    expect(earlierDeadline(7, 5)).toBe(5)
  })
})
