import { describe, expect, it } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { answeredBy, mesh, rulesFile, staticServiceEntry, tally, upstream } from './support.js'

const HOST = 'svc.example.com'
const URL = `http://${HOST}/`

const OUTLIER_RULE = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: ${HOST}
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
`

describe('cluster state across reloads', () => {
  it('stops the outlier sweep of a cluster whose DestinationRule a reload removed', async () => {
    const clock = new FakeClock()
    const [a, b] = await Promise.all([upstream({ name: 'a' }), upstream({ name: 'b' })])
    const rules = await rulesFile(staticServiceEntry(HOST, [a, b]) + '---' + OUTLIER_RULE)
    const m = await mesh({ clock, random: seededRandom(1), files: [rules.path] })
    const idle = clock.pendingTimers
    await answeredBy(m, URL, 2)
    // The cluster's detector sweeps on a timer of the mesh clock.
    expect(clock.pendingTimers).toBeGreaterThan(idle)

    await rules.write(staticServiceEntry(HOST, [a, b]))
    expect(await m.reload()).toBe(true)
    expect(clock.pendingTimers).toBe(idle)
  })

  it('keeps the outlier state of a cluster the reload kept', async () => {
    const clock = new FakeClock()
    const [bad, good] = await Promise.all([upstream({ name: 'bad', fallback: { status: 500 } }), upstream({ name: 'good' })])
    const rules = await rulesFile(staticServiceEntry(HOST, [bad, good]) + '---' + OUTLIER_RULE)
    const m = await mesh({ clock, random: seededRandom(1), files: [rules.path] })
    await answeredBy(m, URL, 2)

    // An unrelated change: the ejected endpoint stays out.
    await rules.write(staticServiceEntry(HOST, [bad, good]) + '---' + OUTLIER_RULE + '---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: other }\nspec:\n  hosts: [other]\n  http: [{ route: [{ destination: { host: other } }] }]\n')
    expect(await m.reload()).toBe(true)
    expect(tally(await answeredBy(m, URL, 10))).toEqual({ good: 10 })
  })
})
