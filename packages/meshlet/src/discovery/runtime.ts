import { MeshError } from '@meshlet/core'
import type { Clock, Random } from '@meshlet/core'
import { DEFAULT_PUBLISH, DiscoveredState, EtcdSource, KubernetesSource } from '@meshlet/discovery'
import type { DiscoverySource, EtcdOptions, KubernetesOptions, Registration, RegistrationRequest, SourceReporter } from '@meshlet/discovery'
import { MeshConfigError } from '@meshlet/rules'
import type { MeshSnapshot } from '@meshlet/rules'
import type { SnapshotExtras } from '../mesh/config.js'
import type { CreateMeshOptions } from '../mesh/options.js'
import { compileWithDiscovered } from './compile.js'
import { checkWorkloadText } from './workload-check.js'

/** `mesh.register()`: an instance of this service, registered in etcd as a WorkloadEntry on a lease. */
export interface RegisterOptions extends Omit<RegistrationRequest, 'namespace'> {
  /** Default: the mesh's namespace. */
  readonly namespace?: string
}

export type { Registration }

/** What the runtime needs from the mesh it feeds (a narrow view of Mesh). */
export interface DiscoveryTarget {
  reload(): Promise<boolean>
  emit(event: 'discoveryDegraded' | 'discoveryRecovered' | 'configRejected', payload: unknown): boolean
  listenerCount(event: string): number
  onClose(cleanup: () => void | Promise<void>): void
}

export interface DiscoveryEnvironment {
  readonly clock: Clock
  readonly random: Random
  readonly namespace: string
  readonly domain: string
}

/**
 * The live sources of one mesh (Kubernetes, etcd) and what they know, merged. `start` resolves when
 * every source completed its first full sync; `attach` wires a running mesh to it: a rule or
 * service change reloads the rules (as a file change does), endpoint changes need nothing (the
 * endpoint registry reads the state), health becomes discoveryDegraded/discoveryRecovered, a
 * rejected WorkloadEntry becomes configRejected, and closing the mesh closes the sources.
 */
export class DiscoveryRuntime {
  readonly state: DiscoveredState
  private target: DiscoveryTarget | undefined
  private readonly sources: DiscoverySource[] = []
  private readonly etcd: EtcdSource | undefined
  private reloadScheduled = false
  private closing: Promise<void> | undefined

  private constructor(
    kubernetes: KubernetesOptions | undefined,
    etcd: EtcdOptions | undefined,
    private readonly environment: DiscoveryEnvironment,
  ) {
    const { clock, random, domain } = environment
    this.state = new DiscoveredState({ clock, minPublishIntervalMs: DEFAULT_PUBLISH.minIntervalMs })
    const reporter = this.reporter()
    if (kubernetes !== undefined) this.sources.push(new KubernetesSource({ options: kubernetes, sink: this.state, reporter, clock, random, domain }))
    if (etcd !== undefined) {
      this.etcd = new EtcdSource({ options: etcd, sink: this.state, reporter, clock, random, checkWorkload: (origin, text, namespace) => checkWorkloadText(origin, text, namespace) })
      this.sources.push(this.etcd)
    }
  }

  /** Starts every configured source; undefined when the options name none. Rejects (and stops them all) when one fails its first sync. */
  static async start(options: CreateMeshOptions, environment: DiscoveryEnvironment): Promise<DiscoveryRuntime | undefined> {
    if (options.kubernetes === undefined && options.etcd === undefined) return undefined
    const runtime = new DiscoveryRuntime(options.kubernetes, options.etcd, environment)
    const started = await Promise.allSettled(runtime.sources.map((source) => source.start()))
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    if (failed !== undefined) {
      await runtime.close()
      throw failed.reason
    }
    return runtime
  }

  /** The rules of every source compiled together (see compileWithDiscovered). */
  compile(options: CreateMeshOptions, extras?: SnapshotExtras): Promise<MeshSnapshot> {
    return compileWithDiscovered(options, this.state, this.etcd !== undefined, extras)
  }

  attach(target: DiscoveryTarget): void {
    this.target = target
    this.state.onConfigChange(() => this.scheduleReload())
    target.onClose(() => this.close())
  }

  async register(instance: RegisterOptions): Promise<Registration> {
    if (this.etcd === undefined) throw noEtcd()
    return this.etcd.register({ ...instance, namespace: instance.namespace ?? this.environment.namespace })
  }

  /** Deregisters every instance this mesh registered, then stops the sources. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.sources.map((source) => source.close().catch(() => undefined))).then(() => undefined)
    return this.closing
  }

  /** A burst of changes (one watch read) reloads once, on the next turn of the event loop. */
  private scheduleReload(): void {
    if (this.reloadScheduled || this.target === undefined || this.closing !== undefined) return
    this.reloadScheduled = true
    setImmediate(() => {
      this.reloadScheduled = false
      // A rejected config is reported as configRejected and keeps the last good snapshot.
      if (this.closing === undefined) void this.target?.reload().catch(() => undefined)
    })
  }

  private reporter(): SourceReporter {
    const emit = (event: 'discoveryDegraded' | 'discoveryRecovered' | 'configRejected', payload: () => unknown) => {
      const target = this.target
      if (target !== undefined && target.listenerCount(event) > 0) target.emit(event, payload())
    }
    return {
      degraded: (event) => emit('discoveryDegraded', () => event),
      recovered: (event) => emit('discoveryRecovered', () => event),
      rejected: (rejection) =>
        emit('configRejected', () =>
          rejection.error instanceof MeshConfigError
            ? rejection.error
            : new MeshConfigError([{ severity: 'error', code: 'WORKLOAD_REJECTED', message: rejection.error.message, file: rejection.origin, line: 0, column: 0, path: [] }]),
        ),
    }
  }
}

/** mesh.register without etcd. */
export function noEtcd(): MeshError {
  return new MeshError('MESHLET_ERR_REGISTRATION_FAILED', 'mesh.register needs the etcd option: instances register as WorkloadEntries in etcd (createMesh({ etcd: { endpoints: [...] } }))')
}
