import { describe, expect, it } from 'vitest'
import { seededRandom } from '@meshlet/testing'
import { at, echo, mesh, upstream } from './helpers.js'

const reviewsRules = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        end-user: { exact: jason }
    route:
    - destination: { host: reviews, subset: v2 }
  - route:
    - destination: { host: reviews, subset: v1 }
      weight: 90
    - destination: { host: reviews, subset: v3 }
      weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: v3, labels: { version: v3 } }
`

describe('routing with a VirtualService', () => {
  it('sends a request matching a header rule to that rule subset', async () => {
    const [v1, v2, v3] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v2' }), upstream({ name: 'v3' })])
    const m = await mesh({ yaml: reviewsRules, endpoints: { reviews: [at(v1, { version: 'v1' }), at(v2, { version: 'v2' }), at(v3, { version: 'v3' })] } })
    const response = await m.fetch('http://reviews:9080/reviews/1', { headers: { 'end-user': 'jason' } })
    expect(response.status).toBe(200)
    expect((await echo(response)).upstream).toBe('v2')
  })

  it('splits traffic by weight within statistical tolerance under a seeded random', async () => {
    const [v1, v3] = await Promise.all([upstream({ name: 'v1' }), upstream({ name: 'v3' })])
    const m = await mesh({ yaml: reviewsRules, random: seededRandom(7), endpoints: { reviews: [at(v1, { version: 'v1' }), at(v3, { version: 'v3' })] } })
    const counts: Record<string, number> = {}
    for (let i = 0; i < 1000; i++) {
      const body = await echo(await m.fetch('http://reviews:9080/'))
      counts[body.upstream] = (counts[body.upstream] ?? 0) + 1
    }
    // 90/10 of 1000: a binomial standard deviation is ~9.5, so ±40 is over 4 sigma.
    expect(Math.abs((counts.v1 ?? 0) - 900)).toBeLessThan(40)
    expect((counts.v1 ?? 0) + (counts.v3 ?? 0)).toBe(1000)
  })

  it('lets the upstream see the Host the caller used', async () => {
    const v1 = await upstream({ name: 'v1' })
    const m = await mesh({ yaml: reviewsRules, endpoints: { reviews: [at(v1, { version: 'v1' })] }, random: () => 0 })
    const body = await echo(await m.fetch('http://reviews:9080/a?b=c'))
    expect(body.headers.host).toBe('reviews:9080')
    expect(body.path).toBe('/a?b=c')
  })
})
