import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeClock, seededRandom } from '@meshlet/testing'
import { answeredBy, inLocality, mesh, tally, upstream } from './support.js'

// Locality-aware balancing through the mesh (reference §12): Istio turns locality failover on only
// with outlier detection; the local zone takes everything while healthy, traffic spills by Envoy's
// priority load (1.4 overprovisioning) as its endpoints are ejected, and comes back when they return.

const FAILOVER_RULES = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 1, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100 }
`

afterEach(() => {
  vi.unstubAllEnvs()
})

async function zones() {
  const [localA, localB, sameRegion, otherRegion] = await Promise.all([
    upstream({ name: 'local-a', answers: [500] }),
    upstream({ name: 'local-b', answers: [500] }),
    upstream({ name: 'same-region' }),
    upstream({ name: 'other-region' }),
  ])
  const endpoints = {
    svc: [
      inLocality(localA, 'us-east1/us-east1-b'),
      inLocality(localB, 'us-east1/us-east1-b'),
      inLocality(sameRegion, 'us-east1/us-east1-c'),
      inLocality(otherRegion, 'eu-west1/eu-west1-a'),
    ],
  }
  return { localA, localB, endpoints }
}

describe('locality failover', () => {
  it('keeps traffic in the local zone, spills as local endpoints are ejected, and comes back when they return', async () => {
    const clock = new FakeClock()
    const { endpoints } = await zones()
    const m = await mesh({ clock, random: seededRandom(5), yaml: FAILOVER_RULES, endpoints, locality: 'us-east1/us-east1-b' })

    // The first answer of each local endpoint is a 500: one error ejects it (consecutive5xxErrors: 1).
    const ejected: string[] = []
    m.on('endpointEjected', (event) => void ejected.push(event.endpoint))
    expect((await answeredBy(m, 'http://svc/', 2)).sort()).toEqual(['local-a', 'local-b'])
    expect(ejected).toHaveLength(2)

    // Both local endpoints are out: the zone's priority has no healthy host, so everything goes to
    // the next priority, the same region's other zone, and none to the other region.
    const failedOver = tally(await answeredBy(m, 'http://svc/', 40))
    expect(failedOver).toEqual({ 'same-region': 40 })

    // At the sweep after the ejection time they return, and the local zone takes everything again.
    await clock.tick(30_000)
    const back = tally(await answeredBy(m, 'http://svc/', 40))
    expect(back).toEqual({ 'local-a': 20, 'local-b': 20 })
  })

  it('shifts part of the traffic to the next priority when half the local zone is ejected (1.4 overprovisioning)', async () => {
    const clock = new FakeClock()
    const [bad, good, sameRegion] = await Promise.all([upstream({ name: 'bad', answers: [500] }), upstream({ name: 'good' }), upstream({ name: 'same-region' })])
    const m = await mesh({
      clock,
      random: seededRandom(9),
      yaml: FAILOVER_RULES,
      endpoints: { svc: [inLocality(bad, 'us-east1/us-east1-b'), inLocality(good, 'us-east1/us-east1-b'), inLocality(sameRegion, 'us-east1/us-east1-c')] },
      locality: 'us-east1/us-east1-b',
    })
    // Round robin reaches the bad endpoint within two calls; its 500 ejects it.
    await answeredBy(m, 'http://svc/', 2)
    const counts = tally(await answeredBy(m, 'http://svc/', 400))
    // Local priority health 50 % × 1.4 = 70 % stays local; 30 % spills to the next priority.
    expect(counts.bad).toBeUndefined()
    expect(counts.good! / 400).toBeGreaterThan(0.62)
    expect(counts.good! / 400).toBeLessThan(0.78)
    expect(counts['same-region']! + counts.good!).toBe(400)
  })

  it('ignores locality without outlier detection, as Istio does', async () => {
    const clock = new FakeClock()
    const [local, remote] = await Promise.all([upstream({ name: 'local' }), upstream({ name: 'remote' })])
    const m = await mesh({
      clock,
      random: seededRandom(3),
      yaml: 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: svc }\nspec:\n  host: svc\n  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }\n',
      endpoints: { svc: [inLocality(local, 'us-east1/us-east1-b'), inLocality(remote, 'eu-west1/eu-west1-a')] },
      locality: 'us-east1/us-east1-b',
    })
    expect(tally(await answeredBy(m, 'http://svc/', 20))).toEqual({ local: 10, remote: 10 })
  })

  it('splits traffic by localityLbSetting.distribute weights', async () => {
    const clock = new FakeClock()
    const [zoneB, zoneC] = await Promise.all([upstream({ name: 'zone-b' }), upstream({ name: 'zone-c' })])
    const m = await mesh({
      clock,
      random: seededRandom(11),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 100 }
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting:
        enabled: true
        distribute:
        - from: us-east1/us-east1-b/*
          to: { "us-east1/us-east1-b/*": 80, "us-east1/us-east1-c/*": 20 }
`,
      endpoints: { svc: [inLocality(zoneB, 'us-east1/us-east1-b'), inLocality(zoneC, 'us-east1/us-east1-c')] },
      locality: 'us-east1/us-east1-b',
    })
    const counts = tally(await answeredBy(m, 'http://svc/', 500))
    expect(counts['zone-b']! / 500).toBeGreaterThan(0.74)
    expect(counts['zone-b']! / 500).toBeLessThan(0.86)
    expect(counts['zone-b']! + counts['zone-c']!).toBe(500)
  })
})

describe("the mesh's own locality", () => {
  const FAR_AND_NEAR = async () => {
    const [near, far] = await Promise.all([upstream({ name: 'near' }), upstream({ name: 'far' })])
    return { svc: [inLocality(near, 'us-east1/us-east1-b/rack-1'), inLocality(far, 'eu-west1/eu-west1-a')] }
  }

  it('comes from the Kubernetes topology labels in the labels option', async () => {
    const m = await mesh({
      clock: new FakeClock(),
      random: seededRandom(1),
      yaml: FAILOVER_RULES,
      endpoints: await FAR_AND_NEAR(),
      labels: { app: 'caller', 'topology.kubernetes.io/region': 'us-east1', 'topology.kubernetes.io/zone': 'us-east1-b' },
    })
    expect(tally(await answeredBy(m, 'http://svc/', 10))).toEqual({ near: 10 })
  })

  it("comes from Istio's topology.istio.io/locality label, written with dots", async () => {
    const m = await mesh({ clock: new FakeClock(), random: seededRandom(1), yaml: FAILOVER_RULES, endpoints: await FAR_AND_NEAR(), labels: { 'topology.istio.io/locality': 'eu-west1.eu-west1-a' } })
    expect(tally(await answeredBy(m, 'http://svc/', 10))).toEqual({ far: 10 })
  })

  it('comes from the pod labels the sidecar injector puts in ISTIO_METAJSON_LABELS when no option says', async () => {
    vi.stubEnv('ISTIO_METAJSON_LABELS', JSON.stringify({ app: 'caller', 'istio-locality': 'eu-west1.eu-west1-a' }))
    const m = await mesh({ clock: new FakeClock(), random: seededRandom(1), yaml: FAILOVER_RULES, endpoints: await FAR_AND_NEAR() })
    expect(tally(await answeredBy(m, 'http://svc/', 10))).toEqual({ far: 10 })
  })

  it('is the locality option first, whatever the labels and environment say', async () => {
    vi.stubEnv('ISTIO_METAJSON_LABELS', JSON.stringify({ 'istio-locality': 'eu-west1.eu-west1-a' }))
    const m = await mesh({
      clock: new FakeClock(),
      random: seededRandom(1),
      yaml: FAILOVER_RULES,
      endpoints: await FAR_AND_NEAR(),
      locality: 'us-east1/us-east1-b',
      labels: { 'topology.kubernetes.io/region': 'eu-west1' },
    })
    expect(tally(await answeredBy(m, 'http://svc/', 10))).toEqual({ near: 10 })
  })
})

describe('endpoint localities from ServiceEntry endpoints', () => {
  it('prefer the endpoint whose WorkloadEntry locality is the mesh locality', async () => {
    const [near, far] = await Promise.all([upstream({ name: 'near' }), upstream({ name: 'far' })])
    const m = await mesh({
      clock: new FakeClock(),
      random: seededRandom(1),
      locality: 'us-east1/us-east1-b',
      yaml: `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: svc }
spec:
  hosts: [svc.example.com]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 80, name: http, protocol: HTTP }]
  endpoints:
  - { address: 127.0.0.1, ports: { http: ${far.port} }, locality: eu-west1/eu-west1-a }
  - { address: 127.0.0.1, ports: { http: ${near.port} }, locality: us-east1/us-east1-b }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc.example.com
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 5 }
`,
    })
    expect(tally(await answeredBy(m, 'http://svc.example.com/', 10))).toEqual({ near: 10 })
  })
})

describe('topology labels on endpoints', () => {
  it('let a subset select endpoints by the zone of their locality', async () => {
    const [zoneB, zoneC] = await Promise.all([upstream({ name: 'zone-b' }), upstream({ name: 'zone-c' })])
    const m = await mesh({
      clock: new FakeClock(),
      random: seededRandom(1),
      yaml: `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: svc }
spec:
  host: svc
  subsets: [{ name: zone-c, labels: { topology.kubernetes.io/zone: us-east1-c } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: svc }
spec:
  hosts: [svc]
  http: [{ route: [{ destination: { host: svc, subset: zone-c } }] }]
`,
      endpoints: { svc: [inLocality(zoneB, 'us-east1/us-east1-b'), inLocality(zoneC, 'us-east1/us-east1-c')] },
    })
    expect(tally(await answeredBy(m, 'http://svc/', 6))).toEqual({ 'zone-c': 6 })
  })
})
