import { describe, expect, it } from 'vitest'
import type { CallContext, OutcomeClass } from '@meshlet/core'
import { createBalancingLayer, createMeshPicker } from '@meshlet/balancer'
import type { MeshPicker } from '@meshlet/balancer'
import type { CompiledTrafficPolicy } from '@meshlet/rules'
import { FakeClock, seededRandom } from '@meshlet/testing'
import type { MeshTryLayer } from 'meshlet'
import { at, mesh, upstream } from '../helpers.js'

// The design's third idea: each try is judged once, next to the transport, and every reader takes
// that one verdict. A gRPC answer `200` with `grpc-status: 14` (UNAVAILABLE, trailers-only) used to
// be a failure to retry, a 503 to outlier detection, and a success to the breaker and the balancer.

const GRPC_UNAVAILABLE = { status: 200, headers: { 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': 'down' } }

const RULES = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  annotations:
    meshlet.io/circuit-breaker: "{ errorThresholdPercentage: 50, volumeThreshold: 3, resetTimeout: 60s }"
spec:
  host: ledger
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 3, interval: 60s, baseEjectionTime: 60s, maxEjectionPercent: 100 }
`

/** The balancer slot, filled as createMesh fills it, but with a picker whose onFinish the test sees. */
function watchedBalancer(seen: OutcomeClass[]): (environment: { clock: FakeClock }) => { balancer: MeshTryLayer } {
  return ({ clock }) => {
    const picker: MeshPicker<CompiledTrafficPolicy> = createMeshPicker<CompiledTrafficPolicy>({
      policyOf: (policy) => ({ loadBalancer: policy.loadBalancer, outlierDetectionEnabled: policy.outlierDetection !== undefined }),
      clock,
      random: seededRandom(1),
    })
    const onFinish = picker.onFinish
    picker.onFinish = (target, endpoint, latencyMs, outcome) => {
      seen.push(outcome)
      onFinish(target, endpoint, latencyMs, outcome)
    }
    return { balancer: createBalancingLayer<CompiledTrafficPolicy, CallContext<never, never, CompiledTrafficPolicy>>(picker) as unknown as MeshTryLayer }
  }
}

describe('one verdict per try', () => {
  it('makes a gRPC UNAVAILABLE answer a failure to all four readers: retry, outlier detection, breaker and balancer', async () => {
    const clock = new FakeClock()
    const ledger = await upstream({ fallback: GRPC_UNAVAILABLE })
    const balancerSaw: OutcomeClass[] = []
    const m = await mesh({
      clock,
      random: seededRandom(2),
      yaml: RULES,
      endpoints: { ledger: [at(ledger)] },
      layers: watchedBalancer(balancerSaw) as never,
    })
    const retries: string[] = []
    const ejected: string[] = []
    const circuit: string[] = []
    m.on('retry', (event) => retries.push(event.outcome))
    m.on('endpointEjected', (event) => ejected.push(event.endpoint))
    m.on('circuitOpened', (event) => circuit.push(event.cluster))

    // No VirtualService: Istio's default retry policy, whose retryOn has `unavailable`.
    const first = await drive(clock, m.fetch('http://ledger/ledger.Ledger/Post', { method: 'POST', headers: { 'content-type': 'application/grpc' }, body: 'x' }))
    expect(first.headers.get('grpc-status')).toBe('14')
    await first.arrayBuffer()

    // Retry read it as a retryable failure: 1 + 2 tries.
    expect(ledger.requests).toHaveLength(3)
    expect(retries).toEqual(['200', '200'])
    // Outlier detection read it as a 503: three in a row eject the endpoint.
    expect(ejected).toEqual([ledger.authority])
    // The breaker read it as a failure: 3 of 3 calls failed, above 50 %, the circuit opened.
    expect(circuit).toEqual(['outbound|80||ledger.default.svc.cluster.local'])
    // The balancer's load metric was told each try failed.
    expect(balancerSaw).toEqual(['retryable-failure', 'retryable-failure', 'retryable-failure'])
  })
})

/** Moves the fake clock forward until `pending` settles (the retry backoffs wait on it). */
async function drive<T>(clock: FakeClock, pending: Promise<T>): Promise<T> {
  let done = false
  const result = pending.finally(() => (done = true))
  while (!done) await clock.tick(25)
  return result
}

