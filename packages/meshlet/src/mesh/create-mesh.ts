import { TypedEmitter, systemClock, systemRandom } from '@meshlet/core'
import type { Clock, Random } from '@meshlet/core'
import type { MeshSnapshot } from '@meshlet/rules'
import type { MeshHandler } from '../call-context.js'
import type { SnapshotExtras } from './config.js'
import { EndpointRegistry } from '@meshlet/discovery'
import { parseResilienceState, restoreState, snapshotState } from '@meshlet/resilience'
import { retireRemovedEndpoints } from '../discovery/pool-retirement.js'
import { DiscoveryRuntime } from '../discovery/runtime.js'
import { watchFiles } from '../reload/watcher.js'
import { TargetResolver } from '../router/targets.js'
import { buildStack } from '../stack.js'
import type { StackSlots } from '../stack.js'
import { setUpTelemetry } from '../telemetry/setup.js'
import { createTransport } from '../transport/transport.js'
import { PoolRegistry } from '../transport/pools.js'
import { H2PoolRegistry, createH2Transport } from '../transport/h2/index.js'
import { TransportPools, createProtocolTransport } from '../transport/dispatch.js'
import { defaultSlots } from '../wiring/default-slots.js'
import { classifierOf } from '../wiring/policies.js'
import { CallPath } from './call-path.js'
import { loadSnapshot } from './config.js'
import type { MeshEvents } from './events.js'
import { Lifecycle } from './lifecycle.js'
import { Mesh } from './mesh.js'
import { DEFAULT_MESH_OPTIONS } from './options.js'
import type { CreateMeshOptions, StackEnvironment } from './options.js'
import { Reloader } from './reloader.js'
import { validateOptions } from './validate-options.js'

/**
 * Compiles the rules (throws MeshConfigError listing every problem), builds every part of the mesh
 * (its events, endpoint registry, pools, stack, rules holder, lifecycle) and returns it running.
 * With `watch`, the files are reloaded when they change. With `kubernetes` or `etcd`, it resolves
 * only after each source's first full sync (discovery/runtime.ts).
 */
export async function createMesh(options: CreateMeshOptions = {}): Promise<Mesh> {
  return (await assembleMesh(options)).mesh
}

/** What assembleMesh builds: the mesh, and the parts another entry point (the gateway) drives directly. */
export interface AssembledMesh {
  readonly mesh: Mesh
  readonly handler: MeshHandler
  readonly reloader: Reloader
  readonly lifecycle: Lifecycle
  readonly events: TypedEmitter<MeshEvents>
  readonly clock: Clock
  readonly random: Random
}

/** What differs between the mesh and a gateway built on it: the rules compile for a gateway. */
export interface AssemblyExtras {
  /** Checks each compiled snapshot before it is used (createGateway: the gateway must exist); throws to refuse it. */
  readonly accept?: (snapshot: MeshSnapshot) => void
  readonly compile?: SnapshotExtras
}

/**
 * Builds a mesh from createMesh's options: every source of rules and endpoints the options name,
 * the stack, reloads and the lifecycle. createMesh returns the mesh; createGateway drives the same
 * parts from its inbound front, so every option (and every source added to them) works for both.
 */
export async function assembleMesh(options: CreateMeshOptions, extras: AssemblyExtras = {}): Promise<AssembledMesh> {
  validateOptions(options)
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const namespace = options.namespace ?? DEFAULT_MESH_OPTIONS.namespace
  // Saved state is checked before anything starts, so a bad snapshot fails createMesh cleanly.
  const savedState = options.state === undefined ? undefined : parseResilienceState(options.state)
  const domain = options.domain ?? DEFAULT_MESH_OPTIONS.domain
  const discovery = await DiscoveryRuntime.start(options, { clock, random, namespace, domain })
  // Read as reloads read (remembering each document, in slices), so the first reload is as quick as the next.
  const load = async (): Promise<MeshSnapshot> => {
    const loaded = discovery === undefined ? await loadSnapshot(options, extras.compile, 'reload') : await discovery.compile(options, extras.compile)
    extras.accept?.(loaded)
    return loaded
  }
  const snapshot = await load().catch(async (error: unknown) => {
    await discovery?.close()
    throw error
  })

  const events = new TypedEmitter<MeshEvents>()
  const registry = new EndpointRegistry({
    local: options.endpoints,
    namespace,
    domain,
    clock,
    resolver: options.dnsResolver,
    discovered: discovery?.state,
  })
  const pools = new TransportPools(new PoolRegistry(), new H2PoolRegistry())
  const lifecycle = new Lifecycle(pools)
  const targets = new TargetResolver(registry)
  const environment: StackEnvironment = { clock, random, namespace, labels: options.labels ?? {}, locality: options.locality }
  const resilience = defaultSlots(environment, events, (key) => targets.clusterIdentity(key))
  const identity = { namespace, labels: options.labels }
  const telemetry = await setUpTelemetry(options.telemetry, events, identity)
  const handler = buildStack({
    targets,
    classifierOf,
    transport: createProtocolTransport(createTransport(pools.http1), createH2Transport(pools.h2)),
    // Telemetry (the request event, spans, metrics), the resilience and balancer layers, unless the options replace some.
    slots: { telemetry: telemetry.telemetry, tryTelemetry: telemetry.tryTelemetry, ...resilience.slots, ...buildSlots(options.layers, environment) },
    shadows: lifecycle.shadows,
    onFault: (event) => (events.listenerCount('fault') > 0 ? events.emit('fault', event) : undefined),
    onMirror: (event) => (events.listenerCount('mirror') > 0 ? events.emit('mirror', event) : undefined),
  })
  const reloader = new Reloader({
    snapshot,
    load,
    events,
    // A reload that dropped clusters stops their outlier sweeps and breaker windows (reload/live-clusters.ts).
    onSwapped: (swapped) => void resilience.state.retainLive(swapped),
    closing: () => lifecycle.closed,
  })
  const registries = { outliers: resilience.state.outliers, breakers: resilience.state.breakers }
  const mesh = new Mesh({
    events,
    callPath: new CallPath({ handler, clock, random, snapshot: () => reloader.current, lifecycle }),
    reloader,
    lifecycle,
    clock,
    random,
    snapshotState: () => snapshotState(registries),
    admin: { registries: () => resilience.state, identity, metrics: telemetry.metrics },
    register: discovery === undefined ? undefined : (instance) => discovery.register(instance),
  })
  // Rule and service changes of live sources reload like a file change; closing the mesh closes them.
  discovery?.attach({
    reload: () => reloader.reload(),
    emit: (event, payload) => events.emit(event, payload as never),
    listenerCount: (event) => events.listenerCount(event as keyof MeshEvents),
    onClose: (cleanup) => lifecycle.onClose(cleanup),
  })
  // Pools of endpoints discovery removed are closed, as Envoy drains a host that left its cluster.
  if (discovery !== undefined) lifecycle.onClose(retireRemovedEndpoints(discovery.state, pools))
  // Clusters take their restored state on their first call; the balancer avoids restored ejections at once.
  if (savedState !== undefined) restoreState(savedState, registries)
  // Outlier sweeps and breaker windows stop with the mesh.
  lifecycle.onClose(() => {
    registries.outliers.close()
    registries.breakers.close()
    telemetry.close()
  })

  const watched = options.snapshot !== undefined ? [options.snapshot] : options.files
  if (options.watch && watched !== undefined && watched.length > 0) {
    const debounceMs = typeof options.watch === 'object' ? (options.watch.debounceMs ?? DEFAULT_MESH_OPTIONS.watchDebounceMs) : DEFAULT_MESH_OPTIONS.watchDebounceMs
    // A rejected config is reported as configRejected; any other failure keeps the old rules too,
    // and must not become an unhandled rejection of a file event.
    const watcher = await watchFiles(watched, debounceMs, () => void reloader.reload().catch(() => undefined))
    lifecycle.onClose(() => watcher.close())
  }
  return { mesh, handler, reloader, lifecycle, events, clock, random }
}

function buildSlots(layers: CreateMeshOptions['layers'], environment: StackEnvironment): StackSlots {
  if (layers === undefined) return {}
  return typeof layers === 'function' ? layers(environment) : layers
}
