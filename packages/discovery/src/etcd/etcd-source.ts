import { MeshError, isMeshError } from '@meshlet/core'
import type { Clock, Random } from '@meshlet/core'
import type { DiscoveredSink } from '../discovered/state.js'
import { Reconnector, sleep } from '../reconnect/reconnector.js'
import { DEFAULT_RECONNECT } from '../reconnect/settings.js'
import type { ReconnectSettings } from '../reconnect/settings.js'
import type { SourceReporter } from '../source/events.js'
import { SourceHealth } from '../source/health.js'
import type { DiscoverySource } from '../source/source.js'
import { syncFailure } from '../source/sync-error.js'
import { prefixEnd } from './client/base64.js'
import { EtcdGateway } from './client/gateway.js'
import type { KeyValue, WatchAnswer } from './client/gateway.js'
import { classifyKey } from './keys.js'
import { DEFAULT_ETCD } from './options.js'
import type { EtcdOptions } from './options.js'
import { LeasedRegistration } from './registration.js'
import type { Registration, RegistrationRequest } from './registration.js'
import { readWorkload } from './workload.js'

export interface EtcdSourceParts {
  readonly options: EtcdOptions
  readonly sink: DiscoveredSink
  readonly reporter: SourceReporter
  readonly clock: Clock
  readonly random: Random
  /** A further check of each WorkloadEntry text (meshlet runs Istio's validation); an Error rejects it. */
  readonly checkWorkload?: (origin: string, text: string, namespace: string) => Error | undefined
}

/**
 * Rules and endpoints from etcd: `<prefix>config/...` keys hold Istio resources (rule documents,
 * recompiled on change), `<prefix>workloads/<namespace>/<name>` keys hold WorkloadEntries
 * (endpoints, changed in place). It reads every key under the prefix once (paged, at one
 * revision), then watches from the next revision; a broken watch resumes from the last revision
 * it saw, and a compacted one (or any cancellation) reads everything again and applies the
 * difference. Reconnects back off with jitter behind a breaker; an unreachable etcd removes nothing.
 */
export class EtcdSource implements DiscoverySource {
  readonly name = 'etcd' as const
  readonly prefix: string
  readonly gateway: EtcdGateway
  private readonly health: SourceHealth
  private readonly reconnector: Reconnector
  private readonly reconnect: ReconnectSettings
  private readonly abort = new AbortController()
  /** Value of every key seen, so a re-read applies only the difference. */
  private readonly known = new Map<string, string>()
  private readonly registrations = new Set<LeasedRegistration>()
  private revision = 0
  private synced = false
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined
  private running: Promise<void> | undefined
  private lastError: Error | undefined

  constructor(private readonly parts: EtcdSourceParts) {
    this.prefix = parts.options.prefix ?? DEFAULT_ETCD.prefix
    this.gateway = new EtcdGateway(parts.options)
    this.health = new SourceHealth('etcd', parts.clock, parts.reporter)
    this.reconnect = { ...DEFAULT_RECONNECT, ...parts.options.reconnect }
    this.reconnector = new Reconnector(this.reconnect, parts.random)
  }

  private get stream(): string {
    return `watch etcd ${this.prefix} at ${this.gateway.endpoint}`
  }

  async start(): Promise<void> {
    const { clock } = this.parts
    const timeoutMs = this.parts.options.syncTimeoutMs ?? DEFAULT_ETCD.syncTimeoutMs
    const first = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    this.running = this.run()
    let timer: ReturnType<Clock['setTimeout']> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = clock.setTimeout(() => resolve('timeout'), timeoutMs)
    })
    try {
      if ((await Promise.race([first, timedOut])) === 'timeout') throw syncFailure('etcd', timeoutMs, [{ stream: this.stream, lastError: this.lastError }])
    } catch (error) {
      await this.close()
      throw error
    } finally {
      if (timer !== undefined) clock.clearTimeout(timer)
    }
  }

  /**
   * Writes a WorkloadEntry under `<prefix>workloads/<namespace>/<name>` on a lease and keeps the
   * lease alive; resolves once written. Closing the registration revokes the lease (the key goes at
   * once); a process that dies stops renewing and the key goes when the lease expires.
   */
  async register(request: RegistrationRequest): Promise<Registration> {
    const registration = new LeasedRegistration({
      gateway: this.gateway,
      prefix: this.prefix,
      request,
      ttlSeconds: request.ttlSeconds ?? this.parts.options.leaseTtlSeconds ?? DEFAULT_ETCD.leaseTtlSeconds,
      clock: this.parts.clock,
      random: this.parts.random,
      onClose: (closed) => this.registrations.delete(closed),
    })
    this.registrations.add(registration)
    try {
      await registration.open(this.parts.options.syncTimeoutMs ?? DEFAULT_ETCD.syncTimeoutMs)
    } catch (error) {
      this.registrations.delete(registration)
      throw error
    }
    return registration
  }

  /** Deregisters every registration of this source (their leases are revoked), then stops watching. */
  async close(): Promise<void> {
    await Promise.all([...this.registrations].map((registration) => registration.close()))
    this.abort.abort()
    this.settle?.reject(new MeshError('MESHLET_ERR_MESH_CLOSED', 'etcd: closed before the first sync'))
    this.settle = undefined
    await this.running
    await this.gateway.destroy()
  }

  private async run(): Promise<void> {
    const { signal } = this.abort
    let needRead = true
    while (!signal.aborted) {
      try {
        if (needRead) {
          await this.readAll(signal)
          needRead = false
        }
        needRead = await this.watch(signal)
      } catch (error) {
        if (signal.aborted) return
        this.lastError = error as Error
        if (isMeshError(error, 'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED') && !this.synced) {
          this.settle?.reject(error)
          this.settle = undefined
        }
        const plan = this.reconnector.failed()
        this.health.failed(this.stream, error as Error, plan.breakerOpen)
        await sleep(this.parts.clock, plan.delayMs, signal)
      }
    }
  }

  /** Every key under the prefix at one revision, page by page; applies the difference from what was known. */
  private async readAll(signal: AbortSignal): Promise<void> {
    const end = prefixEnd(this.prefix)
    const seen = new Map<string, KeyValue>()
    let from = this.prefix
    let revision = 0
    for (;;) {
      const page = await this.gateway.range(from, end, { revision, limit: DEFAULT_ETCD.pageSize })
      if (revision === 0) revision = page.revision
      for (const kv of page.kvs) seen.set(kv.key, kv)
      if (!page.more || page.kvs.length === 0 || signal.aborted) break
      from = `${page.kvs[page.kvs.length - 1]!.key}\0`
    }
    for (const key of [...this.known.keys()]) if (!seen.has(key)) this.remove(key)
    for (const kv of seen.values()) this.put(kv)
    this.revision = revision
    this.markSynced()
  }

  /** One watch until it breaks (throws), ends (false: resume), or is cancelled or compacted (true: read again). */
  private async watch(signal: AbortSignal): Promise<boolean> {
    const { clock } = this.parts
    const watchAbort = new AbortController()
    const onAbort = () => watchAbort.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    const answers = await this.gateway.openWatch(this.prefix, prefixEnd(this.prefix), this.revision + 1, watchAbort.signal)
    this.markSynced()
    const stable = clock.setTimeout(() => this.reconnector.succeeded(), this.reconnect.stableAfterMs)
    stable.unref?.()
    const probe = this.probe(watchAbort)
    try {
      for await (const answer of answers) {
        if (answer.canceled) {
          if (answer.compactRevision > 0) return true
          throw new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `etcd: ${this.gateway.endpoint} cancelled the watch of ${this.prefix}`)
        }
        this.apply(answer)
      }
      return false
    } catch (error) {
      if (probe.failure !== undefined) throw probe.failure
      throw error
    } finally {
      clock.clearTimeout(stable)
      probe.stop()
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Checks etcd every probeIntervalMs while a watch is open: a connection that died silently is dropped. */
  private probe(watchAbort: AbortController): { stop(): void; failure: Error | undefined } {
    const { clock } = this.parts
    const intervalMs = this.parts.options.probeIntervalMs ?? DEFAULT_ETCD.probeIntervalMs
    const state: { stop(): void; failure: Error | undefined } = { stop: () => undefined, failure: undefined }
    let timer: ReturnType<Clock['setTimeout']> | undefined
    let stopped = false
    const schedule = () => {
      timer = clock.setTimeout(() => {
        this.gateway.status().then(
          () => (stopped ? undefined : schedule()),
          (error: unknown) => {
            state.failure = error as Error
            watchAbort.abort()
          },
        )
      }, intervalMs)
      timer.unref?.()
    }
    schedule()
    state.stop = () => {
      stopped = true
      if (timer !== undefined) clock.clearTimeout(timer)
    }
    return state
  }

  private apply(answer: WatchAnswer): void {
    if (answer.events.length === 0) {
      // A progress notification: every change up to this revision has been delivered.
      if (answer.revision > this.revision) this.revision = answer.revision
      return
    }
    for (const event of answer.events) {
      if (event.type === 'DELETE') this.remove(event.kv.key)
      else this.put(event.kv)
      if (event.kv.modRevision > this.revision) this.revision = event.kv.modRevision
    }
  }

  private put(kv: KeyValue): void {
    if (this.known.get(kv.key) === kv.value) return
    this.known.set(kv.key, kv.value)
    const key = classifyKey(this.prefix, kv.key)
    const origin = `etcd:${kv.key}`
    if (key.kind === 'config') {
      this.parts.sink.putRule({ source: 'etcd', origin, text: kv.value })
    } else if (key.kind === 'workload') {
      const checked = this.parts.checkWorkload?.(origin, kv.value, key.namespace)
      const workload = checked === undefined ? readWorkload(key.namespace, key.name, origin, kv.value) : checked
      if (typeof workload === 'string' || workload instanceof Error) {
        // The last good version (if any) stays, as for a rejected file.
        const error = workload instanceof Error ? workload : new MeshError('MESHLET_ERR_CONFIG_INVALID', `${origin}: WorkloadEntry ${key.namespace}/${key.name}: ${workload}`)
        this.parts.reporter.rejected({ source: 'etcd', origin, error })
        return
      }
      this.parts.sink.putWorkload(workload)
    }
  }

  private remove(rawKey: string): void {
    if (!this.known.delete(rawKey)) return
    const key = classifyKey(this.prefix, rawKey)
    if (key.kind === 'config') this.parts.sink.deleteRule(`etcd:${rawKey}`)
    else if (key.kind === 'workload') this.parts.sink.deleteWorkload(key.namespace, key.name)
  }

  private markSynced(): void {
    this.lastError = undefined
    this.health.synced(this.stream)
    if (!this.synced) {
      this.synced = true
      this.settle?.resolve()
      this.settle = undefined
    }
  }
}
