import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../test/support/fake-clock.js'
import { ClusterResources } from '../pool/resources.js'
import { DEFAULT_CONNECTION_POOL, DEFAULT_RETRY_BUDGET } from '../../test/support/defaults.js'
import { retryBudgetLimit } from './budget.js'

const pool = (overrides: Partial<typeof DEFAULT_CONNECTION_POOL> = {}) => ({ ...DEFAULT_CONNECTION_POOL, ...overrides })

describe('retry budget', () => {
  it('allows percent of the requests counted, never below minRetryConcurrency', () => {
    expect(retryBudgetLimit({ percent: 20, minRetryConcurrency: 3, budgetIntervalMs: undefined }, 0)).toBe(3)
    expect(retryBudgetLimit({ percent: 20, minRetryConcurrency: 3, budgetIntervalMs: undefined }, 10)).toBe(3)
    expect(retryBudgetLimit({ percent: 20, minRetryConcurrency: 3, budgetIntervalMs: undefined }, 100)).toBe(20)
    expect(retryBudgetLimit({ percent: 25, minRetryConcurrency: 0, budgetIntervalMs: undefined }, 10)).toBe(2)
  })

  it("has Envoy's defaults: 20 percent, at least 3", () => {
    expect(DEFAULT_RETRY_BUDGET).toMatchObject({ percent: 20, minRetryConcurrency: 3 })
  })

  it('counts requests in flight and waiting, and refuses a retry once the limit is reached', () => {
    const resources = new ClusterResources('c', pool(), { percent: 20, minRetryConcurrency: 1, budgetIntervalMs: undefined }, new FakeClock())
    for (let i = 0; i < 10; i++) expect(resources.acquireRequest()).toBe('started')
    expect(resources.retryLimit()).toBe(2)
    expect(resources.tryStartRetry()).toBe(true)
    expect(resources.tryStartRetry()).toBe(true)
    expect(resources.tryStartRetry()).toBe(false)
    resources.endRetry()
    expect(resources.tryStartRetry()).toBe(true)
    for (let i = 0; i < 10; i++) resources.releaseRequest()
    expect(resources.retryLimit()).toBe(1)
  })

  it('with a budget interval counts the requests started within the window', async () => {
    const clock = new FakeClock(0)
    const resources = new ClusterResources('c', pool(), { percent: 50, minRetryConcurrency: 0, budgetIntervalMs: 1000 }, clock)
    for (let i = 0; i < 20; i++) {
      resources.acquireRequest()
      resources.releaseRequest()
    }
    expect(resources.activeRequests).toBe(0)
    expect(resources.retryLimit()).toBe(10)
    await clock.advance(1500)
    // Half of the previous window still counts.
    expect(resources.retryLimit()).toBe(5)
    await clock.advance(2000)
    expect(resources.retryLimit()).toBe(0)
  })

  it('uses http.maxRetries as a concurrent-retry cap when there is no budget', () => {
    const resources = new ClusterResources('c', pool({ maxRetries: 2 }), undefined, new FakeClock())
    expect(resources.tryStartRetry()).toBe(true)
    expect(resources.tryStartRetry()).toBe(true)
    expect(resources.tryStartRetry()).toBe(false)
    expect(resources.activeRetries).toBe(2)
  })

  it('lets the budget override http.maxRetries, as Envoy does', () => {
    const resources = new ClusterResources('c', pool({ maxRetries: 1 }), { percent: 20, minRetryConcurrency: 3, budgetIntervalMs: undefined }, new FakeClock())
    expect(resources.retryLimit()).toBe(3)
  })
})
