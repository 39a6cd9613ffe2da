import { connectivityState, experimental } from '@grpc/grpc-js'
import type { ChannelOptions } from '@grpc/grpc-js'
import { meshOf } from './registry.js'
import { MeshSubchannel } from './subchannel.js'

/** The name of the load-balancing policy the `meshlet:` resolver asks for in its service config. */
export const MESHLET_LB_POLICY = 'meshlet'

/** The policy's config: the name of the registered mesh whose channel this is. */
export class MeshletLbConfig implements experimental.TypedLoadBalancingConfig {
  constructor(readonly meshName: string) {}

  getLoadBalancerName(): string {
    return MESHLET_LB_POLICY
  }

  toJsonObject(): object {
    return { [MESHLET_LB_POLICY]: { mesh: this.meshName } }
  }

  static createFromJson(json: unknown): MeshletLbConfig {
    const name = (json as { mesh?: unknown } | null)?.mesh
    return new MeshletLbConfig(typeof name === 'string' ? name : '')
  }
}

/**
 * grpc-js's load-balancing extension point (the one @grpc/grpc-js-xds fills with its cluster
 * manager): this policy is READY at once and picks, for every call, the one MeshSubchannel of the
 * channel's mesh, so each call goes to the mesh, which routes it to a cluster and an endpoint
 * itself. Until the mesh is registered (or after it closed) the channel is in TRANSIENT_FAILURE
 * with UNAVAILABLE.
 */
class MeshletLoadBalancer implements experimental.LoadBalancer {
  readonly #helper: experimental.ChannelControlHelper

  constructor(helper: experimental.ChannelControlHelper) {
    this.#helper = helper
  }

  updateAddressList(_endpoints: unknown, config: experimental.TypedLoadBalancingConfig, _options: ChannelOptions, _note: string): boolean {
    const name = (config as MeshletLbConfig).meshName
    const mesh = meshOf(name)
    if (mesh === undefined) {
      this.#helper.updateState(connectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: `no mesh is registered as "${name}" for meshlet: targets` }), null)
      return true
    }
    const subchannel = new MeshSubchannel(mesh) as unknown as experimental.SubchannelInterface
    const result: experimental.PickResult = { pickResultType: experimental.PickResultType.COMPLETE, subchannel, status: null, onCallStarted: null, onCallEnded: null }
    this.#helper.updateState(connectivityState.READY, { pick: () => result }, null)
    return true
  }

  exitIdle(): void {}
  resetBackoff(): void {}
  destroy(): void {}
  getTypeName(): string {
    return MESHLET_LB_POLICY
  }
}

let registered = false

/** Registers the policy with grpc-js (once per process). */
export function registerMeshletLoadBalancer(): void {
  if (registered) return
  registered = true
  experimental.registerLoadBalancerType(MESHLET_LB_POLICY, MeshletLoadBalancer, MeshletLbConfig)
}
