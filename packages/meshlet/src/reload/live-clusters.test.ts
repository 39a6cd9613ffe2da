import { describe, expect, it } from 'vitest'
import { loadMeshConfig } from '@meshlet/rules'
import type { MeshSnapshot } from '@meshlet/rules'
import { ClusterKeys } from '../router/cluster-key.js'
import { liveClusterKeys } from './live-clusters.js'

async function snapshotOf(yaml: string): Promise<MeshSnapshot> {
  const result = await loadMeshConfig({ yaml })
  if (result.snapshot === undefined) throw new Error(JSON.stringify(result.diagnostics))
  return result.snapshot
}

const RULE = (policy: string, subsets = '[{ name: v1, labels: { version: v1 } }]') => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews
  trafficPolicy: ${policy}
  subsets: ${subsets}
`

const HOST = 'reviews.default.svc.cluster.local'
// Cluster names as the router makes them, with the identity behind each; a name it never made has none.
const names = new ClusterKeys()
const KEYS = [names.for(HOST, 80, undefined), names.for(HOST, 80, 'v1'), names.for(HOST, 80, 'v2'), names.for('ratings.default.svc.cluster.local', 80, undefined), 'not-a-cluster-key']
const identity = (key: string) => names.identity(key)

describe('liveClusterKeys', () => {
  it('keeps the clusters whose DestinationRule and subset still exist with outlier detection', async () => {
    const snapshot = await snapshotOf(RULE('{ outlierDetection: { consecutive5xxErrors: 3 } }'))
    expect([...liveClusterKeys(snapshot, KEYS, identity)]).toEqual([`outbound|80||${HOST}`, `outbound|80|v1|${HOST}`])
  })

  it('keeps clusters with connection pool limits', async () => {
    const snapshot = await snapshotOf(RULE('{ connectionPool: { http: { http1MaxPendingRequests: 10 } } }'))
    expect(liveClusterKeys(snapshot, KEYS, identity).has(`outbound|80|v1|${HOST}`)).toBe(true)
  })

  it('drops clusters whose policy no longer has any per-cluster state', async () => {
    const snapshot = await snapshotOf(RULE('{ loadBalancer: { simple: RANDOM } }'))
    expect(liveClusterKeys(snapshot, KEYS, identity).size).toBe(0)
  })

  it('drops every cluster of a host without DestinationRule', async () => {
    const snapshot = await snapshotOf('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: r }\nspec:\n  hosts: [reviews]\n  http: [{ route: [{ destination: { host: reviews } }] }]\n')
    expect(liveClusterKeys(snapshot, KEYS, identity).size).toBe(0)
  })
})
