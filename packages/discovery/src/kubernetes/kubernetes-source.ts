import type { Clock, Random } from '@meshlet/core'
import type { DiscoveredSink } from '../discovered/state.js'
import { Reconnector, sleep } from '../reconnect/reconnector.js'
import { DEFAULT_RECONNECT } from '../reconnect/settings.js'
import type { ReconnectSettings } from '../reconnect/settings.js'
import type { SourceReporter } from '../source/events.js'
import { SourceHealth } from '../source/health.js'
import type { DiscoverySource } from '../source/source.js'
import { syncFailure } from '../source/sync-error.js'
import { KubernetesClient } from './api/client.js'
import { isKubernetesApiError } from './api/errors.js'
import { ENDPOINT_SLICES, NODE_METADATA, POD_METADATA, SERVICES, istioTypes, objectPath } from './api/resource-types.js'
import type { ResourceType } from './api/resource-types.js'
import type { ClusterAccess } from './config/access.js'
import { resolveClusterAccess } from './config/kubeconfig.js'
import { ListWatch } from './informer/list-watch.js'
import type { KubeObject } from './informer/object.js'
import { objectKey } from './informer/object.js'
import type { InformerHandler } from './informer/store.js'
import { istioVersion } from './istio-version.js'
import { parseSlice } from './model/endpoint-slices.js'
import { nodeTopology } from './model/locality.js'
import { ServiceEndpoints } from './model/service-endpoints.js'
import { serviceDeclaration, serviceHost } from './model/service.js'
import { DEFAULT_KUBERNETES } from './options.js'
import type { KubernetesOptions } from './options.js'

export interface KubernetesSourceParts {
  readonly options: KubernetesOptions
  readonly sink: DiscoveredSink
  readonly reporter: SourceReporter
  readonly clock: Clock
  readonly random: Random
  /** The cluster DNS domain Service hosts are built with. */
  readonly domain: string
  /** Credentials resolved already (tests, the CLI); default: from the options' kubeconfig choice. */
  readonly access?: ClusterAccess
}

/**
 * Rules and endpoints from a Kubernetes API server: Services become hosts with ports, their
 * EndpointSlices (ready, not terminating) their endpoints, labelled from Pod metadata and located
 * from Node metadata; Istio's VirtualService, DestinationRule, ServiceEntry and WorkloadEntry
 * become rules. One list/watch loop per kind and namespace (ListWatch); endpoint changes are
 * batched per turn of the event loop and published per service port, rule changes per object.
 */
export class KubernetesSource implements DiscoverySource {
  readonly name = 'kubernetes' as const
  private readonly informers: ListWatch[] = []
  private readonly endpoints: ServiceEndpoints
  private readonly health: SourceHealth
  private readonly reconnect: ReconnectSettings
  private readonly abort = new AbortController()
  private client: KubernetesClient | undefined
  private flushScheduled = false
  private started = false

  constructor(private readonly parts: KubernetesSourceParts) {
    this.endpoints = new ServiceEndpoints(parts.sink)
    this.health = new SourceHealth('kubernetes', parts.clock, parts.reporter)
    this.reconnect = { ...DEFAULT_RECONNECT, ...parts.options.reconnect }
  }

  /** The API server and credentials in use (after start). */
  get access(): ClusterAccess | undefined {
    return this.client?.access
  }

  async start(): Promise<void> {
    const { options, clock } = this.parts
    const timeoutMs = options.syncTimeoutMs ?? DEFAULT_KUBERNETES.syncTimeoutMs
    const access = this.parts.access ?? resolveClusterAccess(options, clock)
    this.client = new KubernetesClient(access)
    let timer: ReturnType<Clock['setTimeout']> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = clock.setTimeout(() => resolve('timeout'), timeoutMs)
    })
    try {
      const synced = this.startInformers()
      const outcome = await Promise.race([synced, timedOut])
      if (outcome === 'timeout') {
        const unsynced = this.informers.filter((informer) => !informer.isSynced)
        throw syncFailure('kubernetes', timeoutMs, unsynced.length > 0 ? unsynced : [{ stream: `API discovery at ${access.server}`, lastError: this.discoveryError }])
      }
    } catch (error) {
      await this.close()
      throw error
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer)
    }
    this.endpoints.flush()
    this.started = true
  }

  async close(): Promise<void> {
    this.abort.abort()
    await Promise.all(this.informers.map((informer) => informer.close()))
    await this.client?.destroy()
  }

  private discoveryError: Error | undefined

  private async startInformers(): Promise<void> {
    const { options } = this.parts
    const types: Array<{ type: ResourceType; handler: InformerHandler; missingMeansEmpty?: boolean }> = [{ type: SERVICES, handler: this.serviceHandler() }]
    if (options.endpoints ?? DEFAULT_KUBERNETES.endpoints) {
      types.push({ type: ENDPOINT_SLICES, handler: this.sliceHandler() }, { type: POD_METADATA, handler: this.podHandler() })
      if (options.nodes ?? DEFAULT_KUBERNETES.nodes) types.push({ type: NODE_METADATA, handler: this.nodeHandler() })
    }
    if (options.rules ?? DEFAULT_KUBERNETES.rules) {
      const version = await this.discoverIstioVersion()
      for (const type of istioTypes(version)) types.push({ type, handler: this.ruleHandler(type), missingMeansEmpty: true })
    }
    const namespaces: ReadonlyArray<string | undefined> = options.namespaces === undefined || options.namespaces.length === 0 ? [undefined] : options.namespaces
    for (const { type, handler, missingMeansEmpty } of types) {
      for (const namespace of type.namespaced ? namespaces : [undefined]) {
        if (this.abort.signal.aborted) return
        this.informers.push(
          new ListWatch({
            client: this.client!,
            type,
            namespace,
            handler,
            settings: { watchTimeoutSeconds: options.watchTimeoutSeconds ?? DEFAULT_KUBERNETES.watchTimeoutSeconds, pageSize: DEFAULT_KUBERNETES.pageSize, reconnect: this.reconnect },
            clock: this.parts.clock,
            random: this.parts.random,
            health: this.health,
            missingMeansEmpty,
          }),
        )
      }
    }
    await Promise.all(this.informers.map((informer) => informer.start()))
  }

  /** API discovery for the Istio version, retried like any request until it answers or start gives up. */
  private async discoverIstioVersion(): Promise<string> {
    const reconnector = new Reconnector(this.reconnect, this.parts.random)
    for (;;) {
      try {
        const version = await istioVersion(this.client!, this.abort.signal)
        this.discoveryError = undefined
        return version
      } catch (error) {
        if (this.abort.signal.aborted) throw error
        if (isKubernetesApiError(error) && error.denied) throw error
        this.discoveryError = error as Error
        await sleep(this.parts.clock, reconnector.failed().delayMs, this.abort.signal)
      }
    }
  }

  /** After start, endpoint changes are published once per turn of the event loop (a burst of watch events, one rebuild). */
  private scheduleFlush(): void {
    if (!this.started || this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      if (!this.abort.signal.aborted) this.endpoints.flush()
    })
  }

  private serviceHandler(): InformerHandler {
    const { sink, domain } = this.parts
    return {
      upsert: (service) => {
        const declaration = serviceDeclaration(service, domain, `kubernetes:${objectPath(SERVICES, service.metadata.namespace, service.metadata.name)}`)
        sink.putService(declaration)
        this.endpoints.setService(objectKey(service), declaration)
        this.scheduleFlush()
      },
      remove: (service) => {
        sink.deleteService(serviceHost(service.metadata.namespace ?? 'default', service.metadata.name, domain))
        this.endpoints.setService(objectKey(service), undefined)
        this.scheduleFlush()
      },
    }
  }

  private sliceHandler(): InformerHandler {
    return {
      upsert: (slice) => {
        const parsed = parseSlice(slice)
        if (parsed === undefined) this.endpoints.removeSlice(objectKey(slice))
        else this.endpoints.upsertSlice(parsed)
        this.scheduleFlush()
      },
      remove: (slice) => {
        this.endpoints.removeSlice(objectKey(slice))
        this.scheduleFlush()
      },
    }
  }

  private podHandler(): InformerHandler {
    return {
      upsert: (pod) => {
        this.endpoints.setPod(objectKey(pod), pod.metadata.labels ?? {})
        this.scheduleFlush()
      },
      remove: (pod) => {
        this.endpoints.setPod(objectKey(pod), undefined)
        this.scheduleFlush()
      },
    }
  }

  private nodeHandler(): InformerHandler {
    return {
      upsert: (node) => {
        this.endpoints.setNode(node.metadata.name, nodeTopology(node.metadata.labels ?? {}))
        this.scheduleFlush()
      },
      remove: (node) => {
        this.endpoints.setNode(node.metadata.name, undefined)
        this.scheduleFlush()
      },
    }
  }

  private ruleHandler(type: ResourceType): InformerHandler {
    const { sink } = this.parts
    const origin = (object: KubeObject) => `kubernetes:${objectPath(type, object.metadata.namespace, object.metadata.name)}`
    return {
      upsert: (object) => sink.putRule({ source: 'kubernetes', origin: origin(object), object: ruleContent(object) }),
      remove: (object) => sink.deleteRule(origin(object)),
    }
  }
}

/**
 * What the rules read of a custom resource: its type, identity, labels, annotations, creation
 * time (Istio orders competing rules by it) and spec. Status, managedFields and resourceVersion
 * are left out, so a status update or a no-op apply does not recompile.
 */
function ruleContent(object: KubeObject): Record<string, unknown> {
  const { name, namespace, labels, annotations, creationTimestamp } = object.metadata
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: { name, namespace, labels, annotations, creationTimestamp }, spec: object.spec }
}
