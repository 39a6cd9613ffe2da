import type { KubernetesClient } from './api/client.js'
import { isKubernetesApiError } from './api/errors.js'
import { ISTIO_GROUP, ISTIO_VERSIONS } from './api/resource-types.js'

/**
 * The version of networking.istio.io to read, from API discovery (`GET /apis/networking.istio.io`):
 * the newest of v1, v1beta1, v1alpha3 the server serves (the same objects are served at each).
 * When the group is not installed (404) the answer is v1, and its lists answer 404 too, read as
 * empty until the CRDs appear.
 */
export async function istioVersion(client: KubernetesClient, signal: AbortSignal): Promise<string> {
  try {
    const group = await client.getJson(`/apis/${ISTIO_GROUP}`, {}, 'application/json', { verb: 'get', type: undefined, namespace: undefined }, signal)
    const served = new Set(Array.isArray(group.versions) ? (group.versions as Array<{ version?: unknown }>).map((entry) => entry.version) : [])
    return ISTIO_VERSIONS.find((version) => served.has(version)) ?? ISTIO_VERSIONS[0]
  } catch (error) {
    if (isKubernetesApiError(error) && (error.status === 404 || error.status === 403)) return ISTIO_VERSIONS[0]
    throw error
  }
}
