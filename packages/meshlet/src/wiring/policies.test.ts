import { describe, expect, it } from 'vitest'
import type { MeshEndpoint } from '@meshlet/core'
import type { CompiledTrafficPolicy } from '@meshlet/rules'
import type { MeshCallContext } from '../call-context.js'
import { outlierPolicyOf } from './policies.js'

const policy = { outlierDetection: { consecutive5xxErrors: 5 }, extensions: {} } as unknown as CompiledTrafficPolicy

function endpoint(port: number): MeshEndpoint {
  return { id: `10.0.0.1:${port}`, address: '10.0.0.1', port, labels: {}, locality: undefined, weight: 1 }
}

function contextFor(endpoints: readonly MeshEndpoint[]): MeshCallContext {
  return { target: { key: 'outbound|80||svc', policy, endpoints, passthrough: false } } as unknown as MeshCallContext
}

describe('outlierPolicyOf', () => {
  it('gives the outlier registry every endpoint of the cluster, so maxEjectionPercent counts them all', () => {
    const endpoints = [endpoint(1), endpoint(2), endpoint(3)]
    expect(outlierPolicyOf(contextFor(endpoints))?.endpoints).toBe(endpoints)
  })

  it('returns the same object while the endpoints stay the same, and a new one when they change', () => {
    const endpoints = [endpoint(1), endpoint(2)]
    const first = outlierPolicyOf(contextFor(endpoints))
    expect(outlierPolicyOf(contextFor(endpoints))).toBe(first)
    const changed = [endpoint(1)]
    const next = outlierPolicyOf(contextFor(changed))
    expect(next).not.toBe(first)
    expect(next?.endpoints).toBe(changed)
    expect(next?.outlierDetection).toBe(policy.outlierDetection)
  })

  it('is undefined for a cluster without outlier detection', () => {
    const none = { outlierDetection: undefined, extensions: {} } as unknown as CompiledTrafficPolicy
    const context = { target: { key: 'outbound|80||other', policy: none, endpoints: [], passthrough: false } } as unknown as MeshCallContext
    expect(outlierPolicyOf(context)).toBeUndefined()
  })
})
