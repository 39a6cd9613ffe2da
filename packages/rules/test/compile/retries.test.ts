import { describe, expect, it } from 'vitest'
import { defaultRetryPolicy } from '@meshlet/rules'
import { compileYaml, destinationRule, virtualService } from './helpers.js'

const withRetries = (retries: string) =>
  virtualService('ratings', `hosts: [ratings]\nhttp:\n- route:\n  - destination: {host: ratings}\n${retries ? `  retries:\n${retries}` : ''}`)

async function retriesOf(yaml: string) {
  return (await compileYaml(yaml)).virtualServices[0]!.routes[0]!.retries
}

describe('retry policies', () => {
  it('gives a route without retries Istio default policy', async () => {
    const policy = await retriesOf(withRetries(''))
    expect(policy).toEqual({
      attempts: 2,
      perTryTimeoutMs: undefined,
      retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
      retriableStatusCodes: [],
      retryRemoteLocalities: false,
      avoidPreviousHosts: true,
      backoffBaseMs: 25,
      backoffMaxMs: 250,
      isDefault: true,
    })
  })

  it('exports the same default for hosts with no VirtualService', () => {
    expect(defaultRetryPolicy).toMatchObject({ attempts: 2, retriableStatusCodes: [], avoidPreviousHosts: true, isDefault: true })
    expect(defaultRetryPolicy.retryOn).not.toContain('5xx')
    expect(Object.isFrozen(defaultRetryPolicy)).toBe(true)
  })

  it('fills a user policy without retryOn from the default string', async () => {
    const policy = await retriesOf(withRetries('    attempts: 5\n    perTryTimeout: 2s\n'))
    expect(policy).toMatchObject({ attempts: 5, perTryTimeoutMs: 2000, avoidPreviousHosts: true, isDefault: false })
    expect(policy.retryOn).toContain('connect-failure')
  })

  it('turns integer retryOn tokens into retriable status codes', async () => {
    const policy = await retriesOf(withRetries('    attempts: 3\n    retryOn: gateway-error,503,429\n'))
    expect(policy.retryOn).toEqual(['gateway-error', 'retriable-status-codes'])
    expect(policy.retriableStatusCodes).toEqual([503, 429])
  })

  it('disables retries with attempts 0', async () => {
    const policy = await retriesOf(withRetries('    attempts: 0\n'))
    expect(policy.attempts).toBe(0)
    expect(policy.retryOn).toEqual([])
  })

  it('reads backoff, retryIgnorePreviousHosts and retryRemoteLocalities', async () => {
    const policy = await retriesOf(withRetries('    attempts: 2\n    backoff: 100ms\n    retryIgnorePreviousHosts: false\n    retryRemoteLocalities: true\n'))
    expect(policy).toMatchObject({ backoffBaseMs: 100, backoffMaxMs: 1000, avoidPreviousHosts: false, retryRemoteLocalities: true })
  })

  it('retries the same host when the destination balances by consistent hash', async () => {
    const hashing = destinationRule('ratings', 'host: ratings\ntrafficPolicy:\n  loadBalancer:\n    consistentHash: {httpHeaderName: x-user}')
    expect((await retriesOf(withRetries('') + hashing)).avoidPreviousHosts).toBe(false)
    expect((await retriesOf(withRetries('    attempts: 3\n    retryIgnorePreviousHosts: true\n') + hashing)).avoidPreviousHosts).toBe(true)
  })

  it('compiles the route timeout in ms and leaves it unset when absent', async () => {
    const timed = virtualService('ratings', 'hosts: [ratings]\nhttp:\n- route:\n  - destination: {host: ratings}\n  timeout: 1.5s')
    expect((await compileYaml(timed)).virtualServices[0]!.routes[0]!.timeoutMs).toBe(1500)
    expect((await compileYaml(withRetries(''))).virtualServices[0]!.routes[0]!.timeoutMs).toBeUndefined()
  })
})
