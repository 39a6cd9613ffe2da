import { describe, expect, it } from 'vitest'
import { CallContext, TryState, endpointId, runTry, seededRandom, type CallTarget, type Classifier, type MeshEndpoint, type MeshRequest, type MeshResponse, type TryHandler, type TryLayer } from '@meshlet/core'
import type { BalancerConfig } from '../config/config.js'
import { VirtualClock } from '../simulator/virtual-clock.js'
import { createBalancingLayer } from './layer.js'
import { createMeshPicker } from './picker.js'
import { cookieValue, queryValue } from './request-context.js'

interface Policy {
  readonly loadBalancer: BalancerConfig | undefined
  readonly outlier: boolean
}

const endpoint = (address: string, extra: Partial<MeshEndpoint> = {}): MeshEndpoint => ({
  id: endpointId(address, 9080),
  address,
  port: 9080,
  labels: {},
  locality: undefined,
  weight: 1,
  ...extra,
})

const target = (policy: Policy, endpoints: readonly MeshEndpoint[], key = 'outbound|9080||reviews.default.svc.cluster.local'): CallTarget<Policy> => ({
  key,
  host: 'reviews.default.svc.cluster.local',
  subset: undefined,
  port: 9080,
  policy,
  endpoints,
  passthrough: false,
  inMesh: true,
  upstreamScheme: 'http',
  sni: undefined,
  protocol: 'http1',
})

const request = (headers: Record<string, string> = {}, path = '/reviews/1'): MeshRequest => ({
  method: 'GET',
  scheme: 'http',
  authority: 'reviews:9080',
  path,
  headers,
  body: null,
})

const clock = new VirtualClock()
/** A try of a call to `t`, after the tries that went to `tried`, from an inbound request at `sourceIp`. */
const context = (t: CallTarget<Policy>, tried: readonly MeshEndpoint[] = [], sourceIp?: string): TryState<CallContext<unknown, unknown, Policy>> => {
  const call = new CallContext<unknown, unknown, Policy>({
    snapshot: undefined,
    clock,
    random: seededRandom(1),
    inbound: sourceIp === undefined ? undefined : { propagatedHeaders: {}, deadlineMs: undefined, sourceIp },
    meshOnlyHeaders: [],
    cancellation: undefined,
  })
  call.target = t
  return new TryState(call, tried.length, tried)
}

const picker = (random = seededRandom(91)) =>
  createMeshPicker<Policy>({ policyOf: (policy) => ({ loadBalancer: policy.loadBalancer, outlierDetectionEnabled: policy.outlier }), clock, random })

describe('createMeshPicker', () => {
  const endpoints = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((a) => endpoint(a))

  it('balances each cluster with the algorithm of its policy', () => {
    const meshPicker = picker()
    const t = target({ loadBalancer: { algorithm: 'ROUND_ROBIN' }, outlier: false }, endpoints)
    const picks = Array.from({ length: 6 }, () => meshPicker.pick(t, request(), context(t))!.address)
    expect(new Set(picks.slice(0, 3)).size).toBe(3)
    expect(picks.slice(3)).toEqual(picks.slice(0, 3))
    expect(meshPicker.balancerOf(t.key)!.algorithm).toBe('ROUND_ROBIN')
  })

  it('avoids endpoints earlier tries of the call used', () => {
    const meshPicker = picker()
    const t = target({ loadBalancer: undefined, outlier: false }, endpoints)
    for (let i = 0; i < 30; i++) expect(meshPicker.pick(t, request(), context(t, [endpoints[0]!, endpoints[1]!]))).toBe(endpoints[2])
  })

  it('hashes a header, a cookie, a query parameter or the inbound source address', () => {
    const meshPicker = picker()
    const byHeader = target({ loadBalancer: { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'header', name: 'x-user' } } }, outlier: false }, endpoints, 'h')
    const byCookie = target({ loadBalancer: { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'cookie', name: 'sid' } } }, outlier: false }, endpoints, 'c')
    const byQuery = target({ loadBalancer: { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'queryParameter', name: 'u' } } }, outlier: false }, endpoints, 'q')
    const bySource = target({ loadBalancer: { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'sourceIp' } } }, outlier: false }, endpoints, 's')
    for (const user of ['ann', 'ben', 'cat', 'dan']) {
      const expected = meshPicker.pick(byHeader, request({ 'x-user': user }), context(byHeader))
      expect(meshPicker.pick(byCookie, request({ cookie: `a=1; sid=${user}` }), context(byCookie))).toBe(expected)
      expect(meshPicker.pick(byQuery, request({}, `/r?u=${user}&x=1`), context(byQuery))).toBe(expected)
      expect(meshPicker.pick(bySource, request(), context(bySource, [], user))).toBe(expected)
    }
  })

  it('keeps learned state across a reload with the same policy and endpoints, and rebuilds on a new policy', () => {
    const meshPicker = picker()
    const first = target({ loadBalancer: { algorithm: 'LEAST_REQUEST' }, outlier: false }, endpoints)
    meshPicker.pick(first, request(), context(first))
    meshPicker.onStart(first, endpoints[0]!)
    const reloaded = target({ loadBalancer: { algorithm: 'LEAST_REQUEST' }, outlier: false }, endpoints.map((e) => ({ ...e })))
    meshPicker.pick(reloaded, request(), context(reloaded))
    const active = () => meshPicker.balancerOf(first.key)!.describe().levels[0]!.localities[0]!.hosts.map((h) => h.active)
    expect(active()).toEqual([1, 0, 0])
    const changed = target({ loadBalancer: { algorithm: 'RANDOM' }, outlier: false }, endpoints)
    meshPicker.pick(changed, request(), context(changed))
    expect(meshPicker.balancerOf(first.key)!.algorithm).toBe('RANDOM')
    expect(active()).toEqual([0, 0, 0])
  })

  it('skips an endpoint outlier detection ejected until it returns', () => {
    const meshPicker = picker()
    const t = target({ loadBalancer: { algorithm: 'ROUND_ROBIN' }, outlier: true }, endpoints)
    meshPicker.pick(t, request(), context(t))
    meshPicker.setEjected(t.key, endpoints[1]!.id, true)
    const seen = new Set(Array.from({ length: 12 }, () => meshPicker.pick(t, request(), context(t))!.address))
    expect(seen).toEqual(new Set(['10.0.0.1', '10.0.0.3']))
  })

  it('forgets clusters a reload dropped', () => {
    const meshPicker = picker()
    const t = target({ loadBalancer: undefined, outlier: false }, endpoints)
    meshPicker.pick(t, request(), context(t))
    meshPicker.retain(new Set())
    expect(meshPicker.balancerOf(t.key)).toBeUndefined()
  })
})

describe('createBalancingLayer', () => {
  const ok = (status: number): MeshResponse => ({ status, headers: {}, body: null, localReason: undefined })
  // The layer acts on the way down and observes the try's end: run it as the try executor does.
  const judge: Classifier = (outcome) => ({ result: outcome.kind === 'response' && outcome.status < 500 ? 'success' : 'failure', endpoint: { kind: 'ignore' } })
  const executed = (layer: TryLayer<CallContext<unknown, unknown, Policy>>) => (next: TryHandler<CallContext<unknown, unknown, Policy>>) => (req: MeshRequest, state: TryState<CallContext<unknown, unknown, Policy>>) =>
    runTry(layer(next), req, state, judge)

  it('answers 503 no-healthy-upstream when the cluster has no endpoint', async () => {
    const layer = createBalancingLayer<Policy, CallContext<unknown, unknown, Policy>>(picker())
    const t = target({ loadBalancer: undefined, outlier: false }, [])
    const response = await layer(() => Promise.resolve(ok(200)))(request(), context(t))
    expect(response.status).toBe(503)
    expect(response.headers['x-meshlet-reason']).toBe('no-healthy-upstream')
  })

  it('hands the picked endpoint down and reports the latency to the load metric', async () => {
    const meshPicker = picker()
    const layer = createBalancingLayer<Policy, CallContext<unknown, unknown, Policy>>(meshPicker)
    const t = target({ loadBalancer: { algorithm: 'PEAK_EWMA' }, outlier: false }, [endpoint('10.0.0.9')])
    let seen: MeshEndpoint | undefined
    const handler = executed(layer)(async (_request, ctx) => {
      seen = ctx.endpoint
      clock.advance(250)
      return ok(200)
    })
    await handler(request(), context(t))
    expect(seen?.address).toBe('10.0.0.9')
    const host = meshPicker.balancerOf(t.key)!.describe().levels[0]!.localities[0]!.hosts[0]!
    expect(host.active).toBe(0)
    expect(host.cost).toBe(250)
  })

  it('counts a thrown try as finished, and rethrows', async () => {
    const meshPicker = picker()
    const layer = createBalancingLayer<Policy, CallContext<unknown, unknown, Policy>>(meshPicker)
    const t = target({ loadBalancer: undefined, outlier: false }, [endpoint('10.0.0.9')])
    await expect(executed(layer)(() => Promise.reject(new Error('boom')))(request(), context(t))).rejects.toThrow('boom')
    expect(meshPicker.balancerOf(t.key)!.describe().levels[0]!.localities[0]!.hosts[0]!.active).toBe(0)
  })

  it('sets the generated consistent-hash cookie on the response', async () => {
    const layer = createBalancingLayer<Policy, CallContext<unknown, unknown, Policy>>(picker())
    const policy: Policy = { loadBalancer: { algorithm: 'CONSISTENT_HASH', consistentHash: { key: { kind: 'cookie', name: 'sid', path: '/', ttlMs: 60_000 } } }, outlier: false }
    const t = target(policy, ['10.0.0.1', '10.0.0.2'].map((a) => endpoint(a)))
    const response = await executed(layer)(() => Promise.resolve({ ...ok(200), headers: { 'set-cookie': 'app=1' } }))(request(), context(t))
    const cookies = response.headers['set-cookie'] as readonly string[]
    expect(cookies[0]).toBe('app=1')
    expect(cookies[1]).toMatch(/^sid=[0-9a-f]{16}; Max-Age=60; Path=\/; HttpOnly$/)
  })
})

describe('request key readers', () => {
  it('read a cookie among several and a decoded query parameter', () => {
    expect(cookieValue('a=1; sid=xyz; b=2', 'sid')).toBe('xyz')
    expect(cookieValue('a=1', 'sid')).toBeUndefined()
    expect(cookieValue(undefined, 'sid')).toBeUndefined()
    expect(queryValue('/p?u=a%20b&v=2', 'u')).toBe('a b')
    expect(queryValue('/p', 'u')).toBeUndefined()
  })
})
