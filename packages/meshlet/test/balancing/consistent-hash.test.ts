import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { Upstream } from '@meshlet/testing'
import { answeredBy, mesh, rulesFile, staticServiceEntry, upstream } from './support.js'

// consistentHash through the mesh (reference §12; Envoy load_balancers.rst "Ring hash", "Maglev"):
// the same key reaches the same endpoint; when one of N endpoints leaves, only about 1/N of the
// keys move; a missing hash cookie is generated and set on the response.

const HOST = 'svc.example.com'
const URL = `http://${HOST}/`

function hashRule(consistentHash: string): string {
  return `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: ${HOST}
  trafficPolicy:
    loadBalancer:
      consistentHash: ${consistentHash}
`
}

async function servers(count: number): Promise<Upstream[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => upstream({ name: `pod-${index}` })))
}

const KEYS = 200

/** Which endpoint each user key goes to. */
async function placement(m: Awaited<ReturnType<typeof mesh>>): Promise<string[]> {
  return answeredBy(m, URL, KEYS, (index) => ({ 'x-user': `user-${index}` }))
}

for (const algorithm of ['{ httpHeaderName: x-user }', '{ httpHeaderName: x-user, maglev: { tableSize: 65537 } }']) {
  describe(`consistent hash on a header ${algorithm.includes('maglev') ? '(maglev)' : '(ring hash)'}`, () => {
    it('sends a key to the same endpoint every time, and moves about 1/N of the keys when one of N endpoints leaves', async () => {
      const pods = await servers(5)
      const rules = await rulesFile(staticServiceEntry(HOST, pods) + '---' + hashRule(algorithm))
      const m = await mesh({ clock: new FakeClock(), random: seededRandom(2), files: [rules.path] })

      const before = await placement(m)
      expect(await placement(m)).toEqual(before)
      // Keys spread over every endpoint.
      expect(new Set(before).size).toBe(5)

      // pod-4 leaves: only its keys move, and they are about a fifth of all keys.
      await rules.write(staticServiceEntry(HOST, pods.slice(0, 4)) + '---' + hashRule(algorithm))
      expect(await m.reload()).toBe(true)
      const after = await placement(m)
      const moved = before.filter((name, index) => name !== after[index])
      const leaving = before.filter((name) => name === 'pod-4').length
      expect(after).not.toContain('pod-4')
      expect(moved.filter((name) => name === 'pod-4').length).toBe(leaving)
      if (algorithm.includes('maglev')) {
        // Maglev rebuilds its table, so a few keys of the endpoints that stay move too (Envoy's docs:
        // more disruption than ring hash); the endpoints listen on random ports, so which ones varies.
        expect(moved.length - leaving).toBeLessThanOrEqual(KEYS * 0.05)
      } else {
        // On the ring the other endpoints keep their points, so only the leaving endpoint's keys move.
        expect(moved.length).toBe(leaving)
      }
      expect(moved.length / KEYS).toBeGreaterThan(0.1)
      expect(moved.length / KEYS).toBeLessThan(0.3)
    })
  })
}

describe('consistent hash on a cookie', () => {
  it('sets the cookie when the request has none, and the cookie then keeps the caller on one endpoint', async () => {
    const pods = await servers(4)
    const rules = await rulesFile(staticServiceEntry(HOST, pods) + '---' + hashRule('{ httpCookie: { name: session, path: /, ttl: 60s } }'))
    const m = await mesh({ clock: new FakeClock(), random: seededRandom(4), files: [rules.path] })

    const first = await m.fetch(URL)
    await first.arrayBuffer()
    const setCookie = first.headers.get('set-cookie')
    expect(setCookie).toMatch(/^session=[^;]+; Max-Age=60; Path=\/; HttpOnly/i)
    const cookie = setCookie!.split(';')[0]!

    // With the cookie, every call goes to the endpoint the first one reached, and no new cookie is set.
    const names: string[] = []
    for (let i = 0; i < 12; i++) {
      const response = await m.fetch(URL, { headers: { cookie } })
      expect(response.headers.get('set-cookie')).toBeNull()
      names.push(response.headers.get('x-upstream')!)
      await response.arrayBuffer()
    }
    expect(new Set(names)).toEqual(new Set([first.headers.get('x-upstream')]))
  })
})
