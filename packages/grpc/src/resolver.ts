import { Metadata, experimental, status } from '@grpc/grpc-js'
import type { ChannelOptions } from '@grpc/grpc-js'

/** The URI scheme of meshlet targets: `meshlet:///reviews.shop.svc.cluster.local:9080`. */
export const MESHLET_SCHEME = 'meshlet'

/** Where the channels of each registered mesh connect: its ingress port, by the target's authority ('' = default). */
const ingressPorts = new Map<string, number>()

/**
 * grpc-js's resolver for `meshlet:` targets (the extension point @grpc/grpc-js-xds uses for
 * `xds:`). It resolves every target to the mesh's loopback ingress, so the channel's one
 * connection carries all its calls there, and names the target's host:port as the channel's
 * default authority (`:authority`), which is what the mesh routes on. Balancing among the
 * service's endpoints is the mesh's (all its balancers, outlier ejection), per call, not grpc-js's.
 */
class MeshletResolver implements experimental.Resolver {
  readonly #target: experimental.GrpcUri
  readonly #listener: experimental.ResolverListener

  constructor(target: experimental.GrpcUri, listener: experimental.ResolverListener, _options: ChannelOptions) {
    this.#target = target
    this.#listener = listener
  }

  updateResolution(): void {
    const port = ingressPorts.get(this.#target.authority ?? '')
    // Told on a later tick, as grpc-js expects of a resolver.
    process.nextTick(() => {
      if (port === undefined) {
        const details = `no mesh is registered for ${experimental.uriToString(this.#target)}: call registerMeshletGrpc(mesh) first`
        this.#listener(experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }), {}, null, '')
        return
      }
      this.#listener(experimental.statusOrFromValue([{ addresses: [{ host: '127.0.0.1', port }] }]), {}, null, '')
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

/** Points `meshlet://<name>/...` targets (name '' for `meshlet:///...`) at an ingress port; undefined removes it. */
export function setIngressPort(name: string, port: number | undefined): void {
  if (port === undefined) ingressPorts.delete(name)
  else ingressPorts.set(name, port)
}

export function ingressPortOf(name: string): number | undefined {
  return ingressPorts.get(name)
}
