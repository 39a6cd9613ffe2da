import type { ResourceKind } from './resource.js'
import { GATEWAY_API_GROUP, GATEWAY_API_KINDS, GATEWAY_API_VERSIONS, ISTIO_API_VERSIONS, ISTIO_KINDS } from './resource.js'

export type KindReading =
  | { readonly kind: ResourceKind; readonly skipped?: undefined; readonly problem?: undefined }
  | { readonly kind?: undefined; readonly skipped: string; readonly problem?: undefined }
  | { readonly kind?: undefined; readonly skipped?: undefined; readonly problem: string }

const ISTIO_GROUP = 'networking.istio.io'
/** The Gateway API kinds as written, by the name meshlet holds them under. */
const GATEWAY_API_WRITTEN: Readonly<Record<string, ResourceKind>> = { Gateway: 'KubernetesGateway', HTTPRoute: 'HTTPRoute', ReferenceGrant: 'ReferenceGrant' }

/**
 * Which kind an object is, from its `kind` and `apiVersion`: an Istio networking kind, a Gateway
 * API kind (its `Gateway` held as `KubernetesGateway`), or something meshlet skips with a note.
 * A known kind under a version its API does not serve is an error naming the versions it does.
 */
export function readKind(kind: string, apiVersion: string): KindReading {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  if (group === ISTIO_GROUP && (ISTIO_KINDS as readonly string[]).includes(kind)) {
    if (!(ISTIO_API_VERSIONS as readonly string[]).includes(apiVersion)) {
      return { problem: `apiVersion ${apiVersion} is not served for ${kind}; use one of ${ISTIO_API_VERSIONS.join(', ')}` }
    }
    return { kind: kind as ResourceKind }
  }
  const gatewayApiKind = group === GATEWAY_API_GROUP ? GATEWAY_API_WRITTEN[kind] : undefined
  if (gatewayApiKind !== undefined && (GATEWAY_API_KINDS as readonly string[]).includes(gatewayApiKind)) {
    if (!(GATEWAY_API_VERSIONS as readonly string[]).includes(apiVersion)) {
      return { problem: `apiVersion ${apiVersion} is not served for ${kind}; use one of ${GATEWAY_API_VERSIONS.join(', ')}` }
    }
    return { kind: gatewayApiKind }
  }
  return {
    skipped: `skipped ${apiVersion} ${kind}: meshlet reads ${ISTIO_KINDS.join(', ')} of ${ISTIO_GROUP} and ${Object.keys(GATEWAY_API_WRITTEN).join(', ')} of ${GATEWAY_API_GROUP}`,
  }
}
