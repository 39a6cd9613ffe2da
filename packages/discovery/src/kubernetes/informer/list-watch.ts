import { MeshError } from '@meshlet/core'
import type { Clock, Random } from '@meshlet/core'
import { Reconnector, sleep } from '../../reconnect/reconnector.js'
import type { ReconnectSettings } from '../../reconnect/settings.js'
import type { SourceHealth } from '../../source/health.js'
import type { KubernetesClient, Operation, WatchEvent } from '../api/client.js'
import { describe } from '../api/client.js'
import { isKubernetesApiError } from '../api/errors.js'
import type { KubernetesApiError } from '../api/errors.js'
import { acceptHeader, collectionPath } from '../api/resource-types.js'
import type { ResourceType } from '../api/resource-types.js'
import { isKubeObject } from './object.js'
import type { KubeObject } from './object.js'
import { ObjectStore } from './store.js'
import type { InformerHandler } from './store.js'

/** How lists and watches are asked for. */
export interface ListWatchSettings {
  /** Each watch asks the server to end it after this many seconds, times a random 1–2 (client-go's reflector: 5 min × [1, 2)). */
  readonly watchTimeoutSeconds: number
  /** Objects per list page (client-go pages by 500). */
  readonly pageSize: number
  readonly reconnect: ReconnectSettings
}

/** client-go treats a watch that ends within a second with no event as an error ("very short watch", tools/cache/reflector.go). */
const VERY_SHORT_WATCH_MS = 1_000
/** When a 429 carries no Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1_000

export interface ListWatchParts {
  readonly client: KubernetesClient
  readonly type: ResourceType
  /** undefined: every namespace (or a cluster-scoped kind). */
  readonly namespace: string | undefined
  readonly handler: InformerHandler
  readonly settings: ListWatchSettings
  readonly clock: Clock
  readonly random: Random
  readonly health: SourceHealth
  /** A 404 means "this kind is not installed" (Istio CRDs): an empty list, looked for again later. */
  readonly missingMeansEmpty?: boolean
}

/**
 * The list/watch loop of one kind in one namespace (or all), the way client-go's reflector runs
 * it: list (paged), then watch from the list's resourceVersion with bookmarks and a server-side
 * timeout, resume from the last resourceVersion seen when a watch ends or breaks, relist and apply
 * only the difference on 410 Gone (an HTTP status or an ERROR event). Failures reconnect with
 * backoff and jitter behind a breaker (Reconnector); 429 waits its Retry-After; 401/403 before the
 * first sync fail start() with the permission to grant. Nothing here runs on the request path.
 */
export class ListWatch {
  readonly stream: string
  private readonly store = new ObjectStore()
  private readonly reconnector: Reconnector
  private readonly abort = new AbortController()
  private resourceVersion: string | undefined
  private synced = false
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined
  private running: Promise<void> | undefined
  /** The last failure, for the error createMesh gives when the first sync never completes. */
  lastError: Error | undefined

  constructor(private readonly parts: ListWatchParts) {
    this.stream = describe({ verb: 'watch', type: parts.type, namespace: parts.namespace })
    this.reconnector = new Reconnector(parts.settings.reconnect, parts.random)
  }

  /** Starts the loop; resolves after the first full list is applied, rejects on 401/403 before it. */
  start(): Promise<void> {
    const first = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    this.running = this.run()
    return first
  }

  get isSynced(): boolean {
    return this.synced
  }

  /** The objects known now. */
  objects(): IterableIterator<KubeObject> {
    return this.store.values()
  }

  async close(): Promise<void> {
    this.abort.abort()
    this.settle?.reject(new MeshError('MESHLET_ERR_MESH_CLOSED', `${this.stream}: closed before the first sync`))
    this.settle = undefined
    await this.running
  }

  private async run(): Promise<void> {
    const { signal } = this.abort
    let needList = true
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list(signal)
          needList = false
        }
        needList = (await this.watch(signal)) === 'gone'
      } catch (error) {
        if (signal.aborted) return
        // Always recover (wait, report) first: a failed list must not be retried at once.
        const relist = await this.recover(error as Error, signal)
        needList = needList || relist
      }
    }
  }

  /** Decides what a failure means; waits as long as it should. Returns true when a relist is needed. */
  private async recover(error: Error, signal: AbortSignal): Promise<boolean> {
    const api = isKubernetesApiError(error) ? error : undefined
    if (api?.gone) return true
    if (api?.status === 404 && this.parts.missingMeansEmpty) {
      // The kind is not installed (no Istio CRDs): nothing to read; look again later.
      this.applyList([], '')
      await sleep(this.parts.clock, this.parts.settings.reconnect.maxDelayMs, signal)
      return true
    }
    this.lastError = error
    if (api?.denied === true && !this.synced) {
      this.settle?.reject(error)
      this.settle = undefined
    }
    if (api?.throttled) {
      this.parts.health.failed(this.stream, error, false)
      await sleep(this.parts.clock, api.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, signal)
      return false
    }
    const plan = this.reconnector.failed()
    this.parts.health.failed(this.stream, error, plan.breakerOpen)
    await sleep(this.parts.clock, plan.delayMs, signal)
    return false
  }

  private async list(signal: AbortSignal): Promise<void> {
    const { client, type, namespace } = this.parts
    const operation: Operation = { verb: 'list', type, namespace }
    const items: KubeObject[] = []
    let continueToken: string | undefined
    let resourceVersion = ''
    do {
      const page = await client.getJson(collectionPath(type, namespace), { limit: String(this.parts.settings.pageSize), continue: continueToken }, acceptHeader(type, 'list'), operation, signal)
      const metadata = (page.metadata ?? {}) as { resourceVersion?: unknown; continue?: unknown }
      if (!Array.isArray(page.items)) throw new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `kubernetes: the answer to ${describe(operation)} has no items list`)
      for (const item of page.items) if (isKubeObject(item)) items.push(withType(item, type))
      resourceVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : resourceVersion
      continueToken = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined
    } while (continueToken !== undefined && !signal.aborted)
    this.applyList(items, resourceVersion)
  }

  private applyList(items: readonly KubeObject[], resourceVersion: string): void {
    this.store.replace(items, this.parts.handler)
    this.resourceVersion = resourceVersion
    this.lastError = undefined
    this.parts.health.synced(this.stream)
    if (!this.synced) {
      this.synced = true
      this.settle?.resolve()
      this.settle = undefined
    }
  }

  /** One watch, until it ends ('ended') or the server says the resourceVersion is gone ('gone'). */
  private async watch(signal: AbortSignal): Promise<'ended' | 'gone'> {
    const { client, type, namespace, clock, settings } = this.parts
    const operation: Operation = { verb: 'watch', type, namespace }
    const timeoutSeconds = Math.floor(settings.watchTimeoutSeconds * (1 + this.parts.random()))
    const query = { watch: '1', resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) }
    const bodyTimeoutMs = timeoutSeconds * 1000 + 30_000
    const events = await client.openWatch(collectionPath(type, namespace), query, acceptHeader(type, 'watch'), operation, bodyTimeoutMs, signal)
    const startedAtMs = clock.now()
    this.parts.health.synced(this.stream)
    // A watch that holds this long proves the server healthy: backoff and breaker start over.
    const stable = clock.setTimeout(() => this.reconnector.succeeded(), settings.reconnect.stableAfterMs)
    stable.unref?.()
    let eventCount = 0
    try {
      for await (const event of events) {
        eventCount += 1
        if (this.apply(event, operation) === 'gone') return 'gone'
      }
    } finally {
      clock.clearTimeout(stable)
    }
    if (eventCount === 0 && clock.now() - startedAtMs < VERY_SHORT_WATCH_MS) {
      throw new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `kubernetes: the API server ${client.access.server} ended a watch at once (very short watch) when asked to ${describe(operation)}`)
    }
    return 'ended'
  }

  private apply(event: WatchEvent, operation: Operation): 'gone' | undefined {
    const { handler, type, client } = this.parts
    if (event.type === 'ERROR') {
      const code = typeof event.object?.code === 'number' ? event.object.code : 500
      if (code === 410) return 'gone'
      throw client.statusError(operation, code, event.object) as KubernetesApiError
    }
    if (!isKubeObject(event.object)) return undefined
    const object = withType(event.object, type)
    if (object.metadata.resourceVersion !== undefined) this.resourceVersion = object.metadata.resourceVersion
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.store.upsert(object, handler)
        break
      case 'DELETED':
        this.store.remove(object, handler)
        break
      // BOOKMARK only moves the resourceVersion on, so a resumed watch starts closer to now.
    }
    return undefined
  }
}

/** List items of built-in kinds come without apiVersion and kind; put them back. */
function withType(object: KubeObject, type: ResourceType): KubeObject {
  if (object.kind !== undefined && object.apiVersion !== undefined) return object
  return { ...object, apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, kind: object.kind ?? type.kind }
}
