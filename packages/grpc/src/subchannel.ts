import { credentials, connectivityState } from '@grpc/grpc-js'
import type { Metadata } from '@grpc/grpc-js'
import type { Mesh } from 'meshlet'
import { MeshGrpcCall } from './mesh-call.js'
import type { CallListener } from './mesh-call.js'

/**
 * What the `meshlet` load-balancing policy hands grpc-js for every pick: a subchannel that is
 * always READY and whose calls are MeshGrpcCalls, carried by the mesh rather than by a connection
 * of grpc-js's own. grpc-js's load-balancing call asks a picked subchannel for its state, its call
 * credentials and its real subchannel's createCall; only those answer here. The real balancing,
 * per endpoint and per try, is the mesh's.
 */
export class MeshSubchannel {
  readonly #mesh: Mesh
  readonly #emptyCredentials = credentials.createEmpty()

  constructor(mesh: Mesh) {
    this.#mesh = mesh
  }

  getConnectivityState(): number {
    return connectivityState.READY
  }

  getCallCredentials(): unknown {
    return this.#emptyCredentials
  }

  /** grpc-js starts each call on `getRealSubchannel().createCall(...)`. */
  getRealSubchannel(): this {
    return this
  }

  realSubchannelEquals(other: unknown): boolean {
    return other === this
  }

  createCall(metadata: Metadata, host: string, method: string, listener: CallListener, callNumber: number): MeshGrpcCall {
    return new MeshGrpcCall(this.#mesh, metadata, host, method, listener, callNumber)
  }

  getAddress(): string {
    return 'meshlet'
  }

  startConnecting(): void {}
  addConnectivityStateListener(): void {}
  removeConnectivityStateListener(): void {}
  throttleKeepalive(): void {}
  ref(): void {}
  unref(): void {}
  isHealthy(): boolean {
    return true
  }
  addHealthStateWatcher(): void {}
  removeHealthStateWatcher(): void {}
  addDataWatcher(): void {}
}
