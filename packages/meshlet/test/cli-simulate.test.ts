import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SimulationReport } from '@meshlet/balancer'
import { runCli } from '../src/cli/main.js'
import type { CliIO } from '../src/cli/io.js'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs `meshlet simulate <argv>` in-process. */
async function simulate(argv: string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: { write: (text) => void (stdout += text) }, stderr: { write: (text) => void (stderr += text) }, env: {} }
  const code = await runCli(['simulate', ...argv], io)
  return { code, stdout, stderr }
}

/** The JSON reports of a run that must succeed without a word on stderr. */
async function reports(argv: string[]): Promise<Array<{ route: string; report: SimulationReport }>> {
  const run = await simulate([...argv, '--json'])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as Array<{ route: string; report: SimulationReport }>
}

let dir: string
const file = (name: string) => join(dir, name)

const REVIEWS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - name: jason
    match: [{ headers: { end-user: { exact: jason } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - name: split
    route:
    - { destination: { host: reviews, subset: v1 }, weight: 80 }
    - { destination: { host: reviews, subset: v3 }, weight: 20 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - name: v3
    labels: { version: v3 }
    trafficPolicy:
      outlierDetection: { consecutive5xxErrors: 3, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
`

const ZONES = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings }
spec:
  host: ratings
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s }
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting: { enabled: true }
  subsets:
  - name: east-b
    labels: { topology.kubernetes.io/zone: us-east1-b }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - name: zone-b
    match: [{ uri: { prefix: /b } }]
    route: [{ destination: { host: ratings, subset: east-b } }]
  - name: all
    route: [{ destination: { host: ratings } }]
`

const ZONE_ENDPOINTS = `
ratings:
  - { address: 10.0.0.1, port: 9080, locality: us-east1/us-east1-b }
  - { address: 10.0.0.2, port: 9080, locality: us-east1/us-east1-c }
  - { address: 10.0.0.3, port: 9080, locality: eu-west1/eu-west1-a }
`

const REVIEW_ENDPOINTS = `
reviews:
  - { address: 10.1.0.1, port: 9080, labels: { version: v1 }, latency: "fixed(10ms)" }
  - { address: 10.1.0.2, port: 9080, labels: { version: v1 }, latency: "fixed(10ms)", weight: 3 }
  - { address: 10.1.0.3, port: 9080, labels: { version: v3 }, latency: "fixed(10ms)" }
  - { address: 10.1.0.4, port: 9080, labels: { version: v3 }, latency: "fixed(10ms)", failureRate: 1 }
  - { address: 10.1.0.5, port: 9080, labels: { version: v2 }, latency: "fixed(400ms)" }
`

const SERVICE_ENTRY = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments }
spec:
  hosts: [payments.example.com]
  ports: [{ number: 8443, name: http, protocol: HTTP }]
  resolution: STATIC
  endpoints:
  - { address: 192.0.2.10, ports: { http: 18443 } }
  - { address: 192.0.2.11, ports: { http: 18443 } }
`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshlet-simulate-'))
  await writeFile(file('reviews.yaml'), REVIEWS)
  await writeFile(file('zones.yaml'), ZONES)
  await writeFile(file('zone-endpoints.yaml'), ZONE_ENDPOINTS)
  await writeFile(file('review-endpoints.yaml'), REVIEW_ENDPOINTS)
  await writeFile(file('payments.yaml'), SERVICE_ENTRY)
  await writeFile(file('bad-endpoints.yaml'), 'reviews:\n  - { address: 10.1.0.1, latency: "sometimes(3ms)" }\n')
  await writeFile(file('unknown-field.yaml'), 'reviews:\n  - { address: 10.1.0.1, zone: a }\n')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('meshlet simulate', () => {
  it('simulates every route of every VirtualService when no request is given, with synthetic pods per subset', async () => {
    const runs = await reports([file('reviews.yaml'), '--pods', '4', '--requests', '1000'])
    expect(runs.map((run) => run.route)).toEqual(['default/reviews route jason', 'default/reviews route split'])
    const jason = runs[0]!.report
    expect(jason.destinations).toHaveLength(1)
    expect(jason.destinations[0]!.name).toBe('reviews.default.svc.cluster.local subset v2')
    // Round robin over four synthetic pods: a quarter each.
    expect(jason.destinations[0]!.endpoints.map((endpoint) => endpoint.share)).toEqual([0.25, 0.25, 0.25, 0.25])
  })

  it('simulates each DestinationRule host with the default route when there is no VirtualService, and says to pass --request', async () => {
    await writeFile(file('only-rule.yaml'), 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: ratings }\nspec:\n  host: ratings\n  trafficPolicy: { loadBalancer: { simple: RANDOM } }\n')
    const run = await simulate([file('only-rule.yaml'), '--pods', '2', '--requests', '100', '--json'])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('note: no VirtualService in these rules, so each DestinationRule host runs Istio\'s default route; pass --request "METHOD URL" to simulate one request\n')
    const runs = JSON.parse(run.stdout) as Array<{ route: string; report: SimulationReport }>
    expect(runs.map((entry) => entry.route)).toEqual(['ratings.default.svc.cluster.local (no VirtualService)'])
    expect(runs[0]!.report.destinations[0]!.algorithm).toBe('RANDOM')
    expect(runs[0]!.report.destinations[0]!.endpoints).toHaveLength(2)
  })

  it('splits requests between destinations by the route weights', async () => {
    const [split] = await reports([file('reviews.yaml'), '--request', 'GET http://reviews/x', '--requests', '5000'])
    const [v1, v3] = split!.report.destinations
    expect(v1!.requests + v3!.requests).toBe(5000)
    expect(v1!.requests / 5000).toBeGreaterThan(0.77)
    expect(v1!.requests / 5000).toBeLessThan(0.83)
  })

  it('picks the route a request with headers matches', async () => {
    const [run] = await reports([file('reviews.yaml'), '--request', 'GET http://reviews/x', '-H', 'end-user: jason', '--requests', '100'])
    expect(run!.route).toContain('route jason')
    expect(run!.report.destinations.map((destination) => destination.name)).toEqual(['reviews.default.svc.cluster.local subset v2'])
  })

  it('gives each endpoint of an endpoints file its weighted share, and its latency profile', async () => {
    const [split] = await reports([file('reviews.yaml'), '--request', 'GET http://reviews/x', '--endpoints', file('review-endpoints.yaml'), '--requests', '4000'])
    const v1 = split!.report.destinations[0]!
    // Weighted round robin 1:3 over the two v1 endpoints; the v2 and v3 endpoints are not in v1.
    expect(v1.endpoints.map((endpoint) => endpoint.key)).toEqual(['10.1.0.1:9080', '10.1.0.2:9080'])
    expect(v1.endpoints[0]!.share).toBeCloseTo(0.25, 2)
    expect(v1.endpoints[1]!.share).toBeCloseTo(0.75, 2)
    expect(v1.latency.p99Ms).toBe(10)
  })

  it('ejects an endpoint that always fails when the subset has outlier detection, and counts the failures', async () => {
    const [split] = await reports([file('reviews.yaml'), '--request', 'GET http://reviews/x', '--endpoints', file('review-endpoints.yaml'), '--requests', '4000'])
    const v3 = split!.report.destinations[1]!
    const failing = v3.endpoints.find((endpoint) => endpoint.key === '10.1.0.4:9080')!
    expect(v3.ejections).toBeGreaterThanOrEqual(1)
    // Three consecutive failures eject it for 30 s of simulated time: far fewer tries than its healthy peer.
    expect(failing.failures).toBe(failing.tries)
    expect(failing.tries).toBeLessThan(v3.endpoints.find((endpoint) => endpoint.key === '10.1.0.3:9080')!.tries / 4)
  })

  it('keeps traffic in the local zone with --locality when locality balancing and outlier detection are on', async () => {
    const [all] = await reports([file('zones.yaml'), '--request', 'GET http://ratings/', '--endpoints', file('zone-endpoints.yaml'), '--locality', 'us-east1/us-east1-c', '--requests', '500'])
    const shares = Object.fromEntries(all!.report.destinations[0]!.endpoints.map((endpoint) => [endpoint.key, endpoint.share]))
    expect(shares['10.0.0.2:9080']).toBe(1)
  })

  it('selects subset endpoints on the Istio topology labels derived from their locality', async () => {
    const [zoneB] = await reports([file('zones.yaml'), '--request', 'GET http://ratings/b', '--endpoints', file('zone-endpoints.yaml'), '--requests', '100'])
    expect(zoneB!.report.destinations[0]!.endpoints.map((endpoint) => endpoint.key)).toEqual(['10.0.0.1:9080'])
  })

  it('uses the endpoints of the host ServiceEntry, on the WorkloadEntry port named like the service port', async () => {
    const [run] = await reports([file('payments.yaml'), '--request', 'GET http://payments.example.com:8443/', '--requests', '200'])
    expect(run!.report.destinations[0]!.endpoints.map((endpoint) => endpoint.key).sort()).toEqual(['192.0.2.10:18443', '192.0.2.11:18443'])
  })

  it('prints the same report for the same seed and another one for another seed', async () => {
    const argv = [file('reviews.yaml'), '--request', 'GET http://reviews/x', '--requests', '2000']
    const first = await simulate([...argv, '--seed', '7'])
    const again = await simulate([...argv, '--seed', '7'])
    const other = await simulate([...argv, '--seed', '8'])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('seed 7')
    expect(first.stdout).toContain('p99')
    expect(again.stdout).toBe(first.stdout)
    expect(other.stdout).not.toBe(first.stdout.replace('seed 7', 'seed 8'))
  })

  it('prints the split, each endpoint share and the tail latency as text', async () => {
    const run = await simulate([file('reviews.yaml'), '--request', 'GET http://reviews/x', '--requests', '1000'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/reviews\.default\.svc\.cluster\.local subset v1 {2}\(ROUND_ROBIN\) {2}\d+\.\d % of requests/)
    expect(run.stdout).toMatch(/p99\.9 \d/)
    expect(run.stdout).toContain('ejections')
  })

  it('rejects an endpoints file with a bad latency profile, naming the endpoint', async () => {
    const run = await simulate([file('reviews.yaml'), '--endpoints', file('bad-endpoints.yaml')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('reviews[0]')
    expect(run.stderr).toContain('sometimes')
  })

  it('rejects an unknown endpoint field', async () => {
    const run = await simulate([file('reviews.yaml'), '--endpoints', file('unknown-field.yaml')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('unknown field "zone"')
  })

  it('fails with a message when the request is not routed to a destination', async () => {
    const run = await simulate([file('reviews.yaml'), '--request', 'GET http://nobody.example.org/'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('not routed to a destination')
  })

  it('says there is no VirtualService and to pass --request when nothing in the rules routes', async () => {
    await writeFile(file('entry-only.yaml'), 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: api }\nspec:\n  hosts: [api.example.com]\n  ports: [{ number: 80, name: http, protocol: HTTP }]\n')
    const run = await simulate([file('entry-only.yaml')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('there is no VirtualService: pass --request "GET http://host/"')
  })

  describe('the route and cluster policies it runs', () => {
    const rules = (route: string, pool = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: slow }
spec:
  hosts: [slow]
  http:
  - name: main
${route}    route: [{ destination: { host: slow } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: slow }
spec:
  host: slow
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
${pool}`
    const endpoints = (latency: string) => `slow:\n  - { address: 10.0.0.1, port: 80, latency: "${latency}" }\n  - { address: 10.0.0.2, port: 80, latency: "${latency}" }\n`
    const runWith = async (name: string, yaml: string, latency: string, extra: string[] = []) => {
      await writeFile(file(`${name}.yaml`), yaml)
      await writeFile(file(`${name}-endpoints.yaml`), endpoints(latency))
      const [only] = await reports([file(`${name}.yaml`), '--endpoints', file(`${name}-endpoints.yaml`), '--requests', '300', ...extra])
      return only!.report
    }

    it('reports a call slower than its route timeout as timed out (504), not as succeeded', async () => {
      const report = await runWith('timeout', rules('    timeout: 100ms\n'), '300ms')
      expect(report.succeeded).toBe(0)
      expect(report.timedOut).toBe(300)
      expect(report.latency.maxMs).toBe(100)
    })

    it('cuts each try at perTryTimeout and retries it when retryOn covers timeouts', async () => {
      const covered = await runWith('per-try', rules('    retries: { attempts: 2, perTryTimeout: 50ms, retryOn: "5xx" }\n'), '300ms')
      expect(covered.timedOut).toBe(300)
      expect(covered.retries).toBe(600)
      const notCovered = await runWith('per-try-default', rules('    retries: { attempts: 2, perTryTimeout: 50ms }\n'), '300ms')
      expect(notCovered.retries).toBe(0)
      expect(notCovered.latency.maxMs).toBe(50)
    })

    it('injects the fault of the route: aborts answered locally, delays added before routing', async () => {
      const aborted = await runWith('abort', rules('    fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }\n'), '10ms')
      expect(aborted.aborted).toBe(300)
      const delayed = await runWith('delay', rules('    fault: { delay: { fixedDelay: 1s, percentage: { value: 100 } } }\n    timeout: 100ms\n'), '10ms')
      expect(delayed.delayed).toBe(300)
      expect(delayed.succeeded).toBe(300)
      expect(delayed.latency.p50Ms).toBe(1010)
    })

    it('applies the connection pool limits of the DestinationRule', async () => {
      const pool = '    connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } }\n'
      const report = await runWith('pool', rules('', pool), '100ms', ['--concurrency', '10'])
      expect(report.overflowed).toBeGreaterThan(0)
      expect(report.succeeded + report.overflowed).toBe(300)
    })

    it('says in every text report what it does not simulate', async () => {
      await writeFile(file('plain.yaml'), rules(''))
      const run = await simulate([file('plain.yaml'), '--requests', '10'])
      expect(run.stdout).toContain('Not simulated: mirrors, rewrites and header changes')
    })
  })

  it('treats a bad number as a usage error', async () => {
    const run = await simulate([file('reviews.yaml'), '--requests', 'many'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--requests must be a number')
  })
})
