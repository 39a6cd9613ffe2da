import { TypedEmitter, systemClock, systemRandom } from '@meshlet/core'
import { EndpointRegistry } from '@meshlet/discovery'
import { parseResilienceState, restoreState, snapshotState } from '@meshlet/resilience'
import { watchFiles } from '../reload/watcher.js'
import { TargetResolver } from '../router/targets.js'
import { buildStack } from '../stack.js'
import type { StackSlots } from '../stack.js'
import { createRequestEventLayer } from '../telemetry/request-event.js'
import { createTransport } from '../transport/transport.js'
import { PoolRegistry } from '../transport/pools.js'
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
 * With `watch`, the files are reloaded when they change.
 */
export async function createMesh(options: CreateMeshOptions = {}): Promise<Mesh> {
  validateOptions(options)
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const namespace = options.namespace ?? DEFAULT_MESH_OPTIONS.namespace
  // Saved state is checked before anything starts, so a bad snapshot fails createMesh cleanly.
  const savedState = options.state === undefined ? undefined : parseResilienceState(options.state)
  // Read as reloads read (remembering each document, in slices), so the first reload is as quick as the next.
  const snapshot = await loadSnapshot(options, 'reload')

  const events = new TypedEmitter<MeshEvents>()
  const registry = new EndpointRegistry({
    local: options.endpoints,
    namespace,
    domain: options.domain ?? DEFAULT_MESH_OPTIONS.domain,
    clock,
    resolver: options.dnsResolver,
  })
  const pools = new PoolRegistry()
  const lifecycle = new Lifecycle(pools)
  const targets = new TargetResolver(registry)
  const environment: StackEnvironment = { clock, random, namespace, labels: options.labels ?? {}, locality: options.locality }
  const resilience = defaultSlots(environment, events, (key) => targets.clusterIdentity(key))
  const handler = buildStack({
    targets,
    classifierOf,
    transport: createTransport(pools),
    // The request event in the telemetry slot, the resilience and balancer layers, unless the options replace some.
    slots: { telemetry: createRequestEventLayer(events), ...resilience.slots, ...buildSlots(options.layers, environment) },
    shadows: lifecycle.shadows,
    onFault: (event) => (events.listenerCount('fault') > 0 ? events.emit('fault', event) : undefined),
    onMirror: (event) => (events.listenerCount('mirror') > 0 ? events.emit('mirror', event) : undefined),
  })
  const reloader = new Reloader({
    snapshot,
    load: () => loadSnapshot(options, 'reload'),
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
    admin: { registries: () => resilience.state, identity: { namespace, labels: options.labels } },
  })
  // Clusters take their restored state on their first call; the balancer avoids restored ejections at once.
  if (savedState !== undefined) restoreState(savedState, registries)
  // Outlier sweeps and breaker windows stop with the mesh.
  lifecycle.onClose(() => {
    registries.outliers.close()
    registries.breakers.close()
  })

  const watched = options.snapshot !== undefined ? [options.snapshot] : options.files
  if (options.watch && watched !== undefined && watched.length > 0) {
    const debounceMs = typeof options.watch === 'object' ? (options.watch.debounceMs ?? DEFAULT_MESH_OPTIONS.watchDebounceMs) : DEFAULT_MESH_OPTIONS.watchDebounceMs
    // A rejected config is reported as configRejected; any other failure keeps the old rules too,
    // and must not become an unhandled rejection of a file event.
    const watcher = await watchFiles(watched, debounceMs, () => void reloader.reload().catch(() => undefined))
    lifecycle.onClose(() => watcher.close())
  }
  return mesh
}

function buildSlots(layers: CreateMeshOptions['layers'], environment: StackEnvironment): StackSlots {
  if (layers === undefined) return {}
  return typeof layers === 'function' ? layers(environment) : layers
}
