import type { MeshEndpoint } from '@meshlet/core'
import type { EndpointPicker } from './picker.js'

/**
 * Host selection attempts before accepting an endpoint already tried (Envoy previous_hosts retry
 * predicate with `host_selection_retry_max_attempts: 5`, istio route/retry/retry.go).
 */
const HOST_SELECTION_ATTEMPTS = 5

/**
 * The minimal picker the data plane starts with: plain round robin per cluster, skipping
 * endpoints that earlier tries of the call used while another one is left. Weights, load,
 * locality and ejection are @meshlet/balancer's concern.
 */
export function roundRobinPicker(): EndpointPicker {
  const cursors = new Map<string, number>()
  return {
    pick(target, _request, context) {
      const endpoints = target.endpoints
      const count = endpoints.length
      if (count === 0) return undefined
      let cursor = (cursors.get(target.key) ?? 0) % count
      let chosen: MeshEndpoint = endpoints[cursor]!
      const attempts = Math.min(HOST_SELECTION_ATTEMPTS, count)
      for (let i = 1; i < attempts && wasTried(context.triedEndpoints, chosen); i++) {
        cursor = (cursor + 1) % count
        chosen = endpoints[cursor]!
      }
      cursors.set(target.key, (cursor + 1) % count)
      return chosen
    },
  }
}

function wasTried(tried: readonly MeshEndpoint[], endpoint: MeshEndpoint): boolean {
  for (const previous of tried) if (previous.id === endpoint.id) return true
  return false
}
