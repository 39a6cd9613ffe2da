import { systemClock, systemRandom } from '@meshlet/core'
import type { TypedEmitter } from '@meshlet/core'
import { EndpointRegistry } from '@meshlet/discovery'
import { parseResilienceState, restoreState, snapshotState } from '@meshlet/resilience'
import { DiscoveryRuntime } from '../discovery/runtime.js'
import { watchFiles } from '../reload/watcher.js'
import { TargetResolver } from '../router/targets.js'
import { buildStack } from '../stack.js'
import type { StackSlots } from '../stack.js'
import { createTransport } from '../transport/transport.js'
import { PoolRegistry } from '../transport/pools.js'
import { defaultSlots } from '../wiring/default-slots.js'
import { loadSnapshot } from './config.js'
import type { MeshEvents } from './events.js'
import { Mesh } from './mesh.js'
import { DEFAULT_MESH_OPTIONS } from './options.js'
import type { CreateMeshOptions, StackEnvironment } from './options.js'
import { validateOptions } from './validate-options.js'

/**
 * Compiles the rules (throws MeshConfigError listing every problem), builds the stack and returns
 * a running mesh. With `watch`, the files are reloaded when they change. With `kubernetes` or
 * `etcd`, it resolves only after each source's first full sync (discovery/runtime.ts).
 */
export async function createMesh(options: CreateMeshOptions = {}): Promise<Mesh> {
  validateOptions(options)
  const clock = options.clock ?? systemClock
  const random = options.random ?? systemRandom
  const namespace = options.namespace ?? DEFAULT_MESH_OPTIONS.namespace
  // Saved state is checked before anything starts, so a bad snapshot fails createMesh cleanly.
  const savedState = options.state === undefined ? undefined : parseResilienceState(options.state)
  const domain = options.domain ?? DEFAULT_MESH_OPTIONS.domain
  const discovery = await DiscoveryRuntime.start(options, { clock, random, namespace, domain })
  const loadRules = discovery === undefined ? () => loadSnapshot(options) : () => discovery.compile(options)
  const snapshot = await loadRules().catch(async (error: unknown) => {
    await discovery?.close()
    throw error
  })

  const registry = new EndpointRegistry({
    local: options.endpoints,
    namespace,
    domain,
    clock,
    resolver: options.dnsResolver,
    discovered: discovery?.state,
  })
  const pools = new PoolRegistry()
  const shadowsInFlight = new Set<AbortController>()
  const environment: StackEnvironment = { clock, random, namespace, labels: options.labels ?? {}, locality: options.locality }
  let resilience: ReturnType<typeof defaultSlots>['state'] | undefined
  const buildHandler = (events: TypedEmitter<MeshEvents>) => {
    const defaults = defaultSlots(environment, events)
    resilience = defaults.state
    return buildStack({
      targets: new TargetResolver(registry),
      transport: createTransport(pools),
      // The resilience and balancer layers, unless the options replace some of them.
      slots: { ...defaults.slots, ...buildSlots(options.layers, environment) },
      shadowsInFlight,
      onFault: (event) => (events.listenerCount('fault') > 0 ? events.emit('fault', event) : undefined),
      onMirror: (event) => (events.listenerCount('mirror') > 0 ? events.emit('mirror', event) : undefined),
    })
  }
  const registriesOf = () => ({ outliers: resilience?.outliers, breakers: resilience?.breakers })
  const mesh = new Mesh({
    snapshot,
    buildHandler,
    pools,
    clock,
    random,
    shadowsInFlight,
    reload: loadRules,
    snapshotState: () => snapshotState(registriesOf()),
    register: discovery === undefined ? undefined : (instance) => discovery.register(instance),
  })
  // Rule and service changes of live sources reload like a file change; closing the mesh closes them.
  discovery?.attach(mesh)
  // Clusters take their restored state on their first call; the balancer avoids restored ejections at once.
  if (savedState !== undefined) restoreState(savedState, registriesOf())
  // Outlier sweeps and breaker windows stop with the mesh.
  mesh.onClose(() => {
    resilience?.outliers.close()
    resilience?.breakers.close()
  })
  // A reload that dropped clusters stops their outlier sweeps and breaker windows (reload/live-clusters.ts).
  mesh.on('configReloaded', () => void resilience?.retainLive(mesh.snapshot))

  if (options.watch && options.files !== undefined && options.files.length > 0) {
    const debounceMs = typeof options.watch === 'object' ? (options.watch.debounceMs ?? DEFAULT_MESH_OPTIONS.watchDebounceMs) : DEFAULT_MESH_OPTIONS.watchDebounceMs
    const running = mesh
    // A rejected config is reported as configRejected; any other failure keeps the old rules too,
    // and must not become an unhandled rejection of a file event.
    const watcher = await watchFiles(options.files, debounceMs, () => void running.reload().catch(() => undefined))
    mesh.onClose(() => watcher.close())
  }
  return mesh
}

function buildSlots(layers: CreateMeshOptions['layers'], environment: StackEnvironment): StackSlots {
  if (layers === undefined) return {}
  return typeof layers === 'function' ? layers(environment) : layers
}
