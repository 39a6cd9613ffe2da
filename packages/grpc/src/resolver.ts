import { Metadata, experimental, status } from '@grpc/grpc-js'
import type { ChannelOptions } from '@grpc/grpc-js'
import { MESHLET_LB_POLICY } from './load-balancer.js'
import { meshOf } from './registry.js'

/** The URI scheme of meshlet targets: `meshlet:///reviews.shop.svc.cluster.local:9080`. */
export const MESHLET_SCHEME = 'meshlet'

/**
 * grpc-js's resolver for `meshlet:` targets (the extension point @grpc/grpc-js-xds uses for
 * `xds:`). It names the target's host:port as the channel's default authority (`:authority`),
 * which is what the mesh routes on, and answers a service config that selects the `meshlet`
 * load-balancing policy for the mesh registered under the target's authority. It resolves no
 * address: the mesh finds the service's endpoints itself, per call.
 */
class MeshletResolver implements experimental.Resolver {
  readonly #target: experimental.GrpcUri
  readonly #listener: experimental.ResolverListener

  constructor(target: experimental.GrpcUri, listener: experimental.ResolverListener, _options: ChannelOptions) {
    this.#target = target
    this.#listener = listener
  }

  updateResolution(): void {
    const name = this.#target.authority ?? ''
    // Told on a later tick, as grpc-js expects of a resolver.
    process.nextTick(() => {
      if (meshOf(name) === undefined) {
        const details = `no mesh is registered for ${experimental.uriToString(this.#target)}: call registerMeshletGrpc(mesh) first`
        this.#listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }), {}, null, '')
        return
      }
      const serviceConfig = { loadBalancingConfig: [{ [MESHLET_LB_POLICY]: { mesh: name } }], methodConfig: [] }
      // One placeholder endpoint: grpc-js wants an address list; the policy never connects to it.
      this.#listener(experimental.statusOrFromValue([{ addresses: [{ host: '127.0.0.1', port: 0 }] }]), {}, experimental.statusOrFromValue(serviceConfig) as never, '')
    })
  }

  destroy(): void {}

  static getDefaultAuthority(target: experimental.GrpcUri): string {
    return target.path.startsWith('/') ? target.path.slice(1) : target.path
  }
}

let registered = false

/** Registers the `meshlet:` scheme with grpc-js (once per process). */
export function registerScheme(): void {
  if (registered) return
  registered = true
  experimental.registerResolver(MESHLET_SCHEME, MeshletResolver)
}
