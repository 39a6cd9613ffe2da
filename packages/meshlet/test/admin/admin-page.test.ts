import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { MeshMetrics } from '@meshlet/otel'
import { seededRandom } from '@meshlet/testing'
import type { Mesh } from 'meshlet'
import { at, mesh, upstream } from '../helpers.js'
import { launchChromium } from './support/chromium.js'
import type { Browser } from './support/chromium.js'

// The admin page in a real headless browser (Debian's Chromium, driven over the DevTools
// protocol): it shows the routes and clusters, updates without a reload when traffic and health
// change, fits a phone's width, and leaves a screenshot. The screenshot goes to the temp folder;
// MESHLET_UPDATE_SCREENSHOT=1 writes it to docs/admin-page.png instead.

const RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - name: jason-to-v2
    match:
    - headers:
        end-user: { exact: jason }
    route:
    - destination: { host: reviews, subset: v2 }
  - name: canary
    retries: { attempts: 2, retryOn: 5xx }
    route:
    - destination: { host: reviews, subset: v1 }
      weight: 80
    - destination: { host: reviews, subset: v2 }
      weight: 20
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: LEAST_REQUEST }
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings }
spec:
  host: ratings
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
`

const browsers: Browser[] = []
afterEach(async () => {
  await Promise.all(browsers.splice(0).map((browser) => browser.close()))
})

async function send(m: Mesh, url: string, count: number, headers: Record<string, string> = {}): Promise<void> {
  for (let i = 0; i < count; i++) await (await m.fetch(url, { headers })).arrayBuffer()
}

const SCREENSHOT = process.env.MESHLET_UPDATE_SCREENSHOT === '1' ? fileURLToPath(new URL('../../../../docs/admin-page.png', import.meta.url)) : join(tmpdir(), 'meshlet-admin-page.png')

describe('the admin page in headless Chromium', () => {
  it('shows routes and clusters, and updates as traffic and health change', { timeout: 90_000 }, async () => {
    const [v1, v2, ratingsGood, ratingsBad] = await Promise.all([
      upstream({ name: 'v1' }),
      upstream({ name: 'v2' }),
      upstream({ name: 'ratings-v1' }),
      upstream({ name: 'ratings-bad', fallback: { status: 503 } }),
    ])
    const labels = new Map([
      [v1.authority, { app: 'reviews', version: 'v1' }],
      [v2.authority, { app: 'reviews', version: 'v2' }],
      [ratingsGood.authority, { app: 'ratings', version: 'v1' }],
      [ratingsBad.authority, { app: 'ratings', version: 'v1' }],
    ])
    const endpoint = (server: typeof v1) => ({ ...at(server, labels.get(server.authority)), locality: 'us-east1/us-east1-b' })
    const metrics = new MeshMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
    const m = await mesh({
      telemetry: { metrics },
      yaml: RULES,
      random: seededRandom(4),
      labels: { app: 'productpage', version: 'v1' },
      endpoints: { reviews: [endpoint(v1), endpoint(v2)], ratings: [endpoint(ratingsGood), endpoint(ratingsBad)] },
    })
    const admin = await m.listenAdmin({ port: 0, metrics, pageRefreshMs: 200 })
    await send(m, 'http://reviews:9080/', 30)
    await send(m, 'http://reviews:9080/', 3, { 'end-user': 'jason' })

    const browser = await launchChromium()
    browsers.push(browser)
    const { page } = browser

    // A phone first: everything readable without sideways scrolling.
    await page.setViewport({ width: 390, height: 844, mobile: true, deviceScaleFactor: 2 })
    await page.navigate(admin.url + '/')
    await page.waitUntil(`document.querySelector('#status')?.textContent.includes('33 calls counted')`, 'the first data on the page')
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll('[data-route]')].map((node) => node.dataset.route)`)).toEqual(['jason-to-v2', 'canary'])
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll('[data-cluster]')].map((node) => node.dataset.cluster)`)).toEqual([
      'outbound|9080|v1|reviews.default.svc.cluster.local',
      'outbound|9080|v2|reviews.default.svc.cluster.local',
    ])
    const canaryText = await page.evaluate<string>(`document.querySelector('[data-route="canary"]').textContent`)
    expect(canaryText).toContain('80%')
    expect(canaryText).toContain('20%')
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)

    // Traffic to ratings: the failing endpoint is ejected; the page shows it without a reload.
    const updatesBefore = await page.evaluate<number>('Number(document.body.dataset.updates)')
    await send(m, 'http://ratings:9080/', 8)
    await page.waitUntil(`document.querySelector('#status')?.textContent.includes('41 calls counted')`, 'the new call count')
    await page.waitUntil(`document.querySelector('[data-cluster="outbound|9080||ratings.default.svc.cluster.local"] [data-health="ejected"]') !== null`, 'the ejected endpoint')
    await page.waitUntil(`document.querySelector('[data-event="endpointEjected"]') !== null`, 'the ejection among recent events')
    expect(await page.evaluate<string>(`document.querySelector('[data-cluster="outbound|9080||ratings.default.svc.cluster.local"] [data-health="ejected"]').dataset.endpoint`)).toBe(ratingsBad.authority)
    expect(await page.evaluate<number>('Number(document.body.dataset.updates)')).toBeGreaterThan(updatesBefore)
    expect(await page.evaluate<string>(`document.querySelector('[data-event="endpointEjected"]').textContent`)).toContain('consecutive-5xx')
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)

    // A desktop-width screenshot for the docs.
    await page.setViewport({ width: 1280, height: 900, mobile: false })
    await page.waitUntil(`document.querySelector('[data-service="ratings.default.svc.cluster.local"]') !== null`, 'the ratings traffic row')
    const png = await page.screenshot()
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(1280)
    await writeFile(SCREENSHOT, png)
    await admin.close()
  })
})
