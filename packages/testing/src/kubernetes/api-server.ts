import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createTestCertificateAuthority } from '../tls/certificates.js'
import { apiGroupList, apiResourceList, apiVersions, servedGroup } from './discovery.js'
import { ObjectStore } from './object-store.js'
import type { StoreEvent, StoredObject } from './object-store.js'
import { SERVED_RESOURCES, groupVersion } from './resources.js'
import type { ServedResource } from './resources.js'
import { parseFieldSelector, parseLabelSelector } from './selectors.js'
import { toPartialMetadata, toTable } from './table.js'

export interface FakeApiServerOptions {
  /** The bearer token the server accepts. Default: a random one. */
  readonly token?: string
  /** BOOKMARK events on watches that asked for them, this often. Default 5000 ms. */
  readonly bookmarkIntervalMs?: number
  /** Kinds served. Default: Services, Pods, Nodes, Namespaces, EndpointSlices and Istio's four kinds. */
  readonly resources?: readonly ServedResource[]
  /** Events kept for watches to resume from; older ones are compacted (410 Gone). Default 100 000. */
  readonly maxHistory?: number
}

/** A request the server received (to assert on what a client asked for). */
export interface ApiRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly accept: string
  readonly watch: boolean
}

/** What a token may not do; the server answers 403 as RBAC would. */
export interface ForbiddenRule {
  readonly verb?: 'get' | 'list' | 'watch'
  readonly resource: string
  /** A namespace, or undefined for every namespace and the cluster scope. */
  readonly namespace?: string
}

interface OpenWatch {
  readonly response: ServerResponse
  readonly end: (gone?: boolean) => void
}

/** The user the fake server says a token belongs to, in 403 messages. */
const USER = 'system:serviceaccount:meshlet-test:meshlet'

/**
 * A Kubernetes API server for tests, faithful to the protocol meshlet and kubectl speak: HTTPS
 * with a CA generated per server, bearer-token authentication (401), RBAC-style refusals (403),
 * API discovery (legacy /api, /apis, per group-version resource lists), lists with
 * resourceVersion, limit/continue paging, label and field selectors, watches from a
 * resourceVersion with bookmarks and timeoutSeconds, 410 Gone after compaction (an ERROR event,
 * as the real server sends it) and for an expired continue token, PartialObjectMetadata and
 * Table answers chosen by the Accept header, and 429 with Retry-After. Objects are written
 * through `apply` and `remove` (not over HTTP). Failures are injected with `dropWatches`,
 * `expireWatches`, `compact`, `throttleNext`, `forbid` and `stop`/`restart`.
 */
export class FakeKubernetesApiServer {
  readonly store: ObjectStore
  readonly token: string
  readonly ca: string
  readonly requests: ApiRequest[] = []
  private readonly server: Server
  private readonly resources: readonly ServedResource[]
  private readonly bookmarkIntervalMs: number
  private readonly sockets = new Set<Socket>()
  private readonly watches = new Set<OpenWatch>()
  private readonly forbidden: ForbiddenRule[] = []
  private throttled: { count: number; retryAfterSeconds: number } | undefined
  private portNumber = 0

  private constructor(options: FakeApiServerOptions) {
    this.token = options.token ?? randomBytes(16).toString('hex')
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 5_000
    this.resources = options.resources ?? SERVED_RESOURCES
    this.store = new ObjectStore(options.maxHistory)
    const authority = createTestCertificateAuthority('meshlet fake kube-apiserver CA')
    this.ca = authority.cert
    this.server = createServer(authority.issue('kube-apiserver', ['127.0.0.1', 'localhost']), (request, response) => this.handle(request, response))
    this.server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeKubernetesApiServer> {
    const server = new FakeKubernetesApiServer(options)
    await server.listen(0)
    return server
  }

  get port(): number {
    return this.portNumber
  }

  get url(): string {
    return `https://127.0.0.1:${this.portNumber}`
  }

  /** Watches open now. */
  get openWatches(): number {
    return this.watches.size
  }

  // --- writing objects -------------------------------------------------------------------------

  /** Creates or replaces an object (found by its apiVersion and kind). */
  apply(object: StoredObject): StoredObject {
    return this.store.put(this.resourceOf(object.apiVersion, object.kind), object)
  }

  /** Deletes an object; returns it as it was, or undefined when there was none. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.store.delete(this.resourceOf(apiVersion, kind), namespace, name)
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.store.get(this.resourceOf(apiVersion, kind), namespace, name)
  }

  // --- faults ----------------------------------------------------------------------------------

  /** Breaks the connection of every open watch (no clean end): a network drop. */
  dropWatches(): void {
    for (const watch of this.watches) watch.response.socket?.destroy()
  }

  /** Ends every open watch with a 410 Gone ERROR event, as after etcd compaction. */
  expireWatches(): void {
    for (const watch of [...this.watches]) watch.end(true)
  }

  /** Forgets the change history: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.store.compact()
  }

  /** The next `count` requests get 429 Too Many Requests with `Retry-After: retryAfterSeconds`. */
  throttleNext(count: number, retryAfterSeconds = 1): void {
    this.throttled = { count, retryAfterSeconds }
  }

  /** Refuses requests matching the rule with 403, until `allowAll`. */
  forbid(rule: ForbiddenRule): void {
    this.forbidden.push(rule)
  }

  allowAll(): void {
    this.forbidden.length = 0
  }

  /** The API server goes down: it stops listening and every connection breaks. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const socket of this.sockets) socket.destroy()
    this.watches.clear()
    await closed
  }

  /** Back up on the same port, with the same objects and history. */
  async restart(): Promise<void> {
    await this.listen(this.portNumber)
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.stop()
  }

  /** Writes a kubeconfig for this server (context `fake`) and returns its path. */
  writeKubeconfig(path: string, options: { token?: string; context?: string; namespace?: string } = {}): string {
    const context = options.context ?? 'fake'
    const lines = [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${context}`,
      'clusters:',
      `- name: ${context}`,
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${Buffer.from(this.ca).toString('base64')}`,
      'users:',
      `- name: ${context}`,
      '  user:',
      `    token: ${options.token ?? this.token}`,
      'contexts:',
      `- name: ${context}`,
      '  context:',
      `    cluster: ${context}`,
      `    user: ${context}`,
      ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
    ]
    writeFileSync(path, lines.join('\n') + '\n')
    return path
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private async listen(port: number): Promise<void> {
    this.server.listen(port, '127.0.0.1')
    await once(this.server, 'listening')
    this.portNumber = (this.server.address() as AddressInfo).port
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'https://fake')
    const query = url.searchParams
    const watch = query.get('watch') === '1' || query.get('watch') === 'true'
    const accept = String(request.headers.accept ?? 'application/json')
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query, accept, watch })
    if (request.headers.authorization !== `Bearer ${this.token}`) return status(response, 401, 'Unauthorized', 'Unauthorized')
    if (this.throttled !== undefined && this.throttled.count > 0) {
      this.throttled.count -= 1
      response.setHeader('retry-after', String(this.throttled.retryAfterSeconds))
      return status(response, 429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', { retryAfterSeconds: this.throttled.retryAfterSeconds })
    }
    if (request.method !== 'GET') return status(response, 405, 'MethodNotAllowed', `the fake API server only serves GET (got ${request.method})`)
    try {
      this.route(url.pathname, query, accept, watch, response)
    } catch (error) {
      status(response, 400, 'BadRequest', (error as Error).message)
    }
  }

  private route(path: string, query: URLSearchParams, accept: string, watch: boolean, response: ServerResponse): void {
    const segments = path.split('/').filter((segment) => segment !== '').map(decodeURIComponent)
    if (path === '/version') return json(response, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-meshlet-fake', platform: 'linux/amd64' })
    if (path === '/api') return json(response, 200, apiVersions(this.portNumber))
    if (path === '/apis') return json(response, 200, apiGroupList(this.resources))
    let group: string
    let version: string
    let rest: string[]
    if (segments[0] === 'api' && segments.length >= 2) {
      group = ''
      version = segments[1]!
      rest = segments.slice(2)
    } else if (segments[0] === 'apis' && segments.length === 2) {
      const found = servedGroup(this.resources, segments[1]!)
      return found === undefined ? notFound(response, `the server could not find the requested resource`) : json(response, 200, found)
    } else if (segments[0] === 'apis' && segments.length >= 3) {
      group = segments[1]!
      version = segments[2]!
      rest = segments.slice(3)
    } else {
      return notFound(response, 'the server could not find the requested resource')
    }
    const inVersion = this.resources.filter((resource) => resource.group === group && resource.versions.includes(version))
    if (inVersion.length === 0) return notFound(response, 'the server could not find the requested resource')
    if (rest.length === 0) return json(response, 200, apiResourceList(group, version, inVersion))
    let namespace: string | undefined
    let plural: string
    let name: string | undefined
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1]
      plural = rest[2]!
      name = rest[3]
    } else {
      plural = rest[0]!
      name = rest[1]
    }
    const resource = inVersion.find((candidate) => candidate.plural === plural)
    if (resource === undefined) return notFound(response, 'the server could not find the requested resource')
    const verb = name !== undefined ? 'get' : watch ? 'watch' : 'list'
    const denied = this.forbidden.find((rule) => rule.resource === resource.plural && (rule.verb === undefined || rule.verb === verb) && (rule.namespace === undefined || rule.namespace === namespace))
    if (denied !== undefined) {
      const qualified = resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`
      const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`
      return status(response, 403, 'Forbidden', `${qualified} is forbidden: User "${USER}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`)
    }
    if (name !== undefined) {
      const object = this.store.get(resource, resource.namespaced ? namespace : undefined, name)
      if (object === undefined) return notFound(response, `${resource.plural} "${name}" not found`)
      return json(response, 200, served(resource, version, object, accept))
    }
    const labelSelector = parseLabelSelector(query.get('labelSelector'))
    const fieldSelector = parseFieldSelector(query.get('fieldSelector'))
    const selects = (object: StoredObject) => (namespace === undefined || object.metadata.namespace === namespace) && labelSelector(object.metadata.labels ?? {}) && fieldSelector(object)
    if (watch) return this.watch(resource, version, namespace, selects, query, accept, response)
    return this.list(resource, version, namespace, selects, query, accept, response)
  }

  private list(resource: ServedResource, version: string, namespace: string | undefined, selects: (object: StoredObject) => boolean, query: URLSearchParams, accept: string, response: ServerResponse): void {
    const all = this.store.list(resource, resource.namespaced ? namespace : undefined).filter(selects)
    const limit = Number(query.get('limit') ?? 0)
    let offset = 0
    let listVersion = this.store.resourceVersion
    const token = query.get('continue')
    if (token) {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; offset: number }
      if (parsed.rv < this.store.compactedAt) {
        return status(response, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
      }
      offset = parsed.offset
      listVersion = parsed.rv
    }
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset)
    const more = limit > 0 && offset + limit < all.length
    const metadata: Record<string, unknown> = { resourceVersion: String(listVersion) }
    if (more) {
      metadata.continue = Buffer.from(JSON.stringify({ rv: listVersion, offset: offset + limit })).toString('base64')
      metadata.remainingItemCount = all.length - offset - limit
    }
    if (accept.includes('as=Table')) return json(response, 200, { ...toTable(resource, page, String(listVersion)), metadata })
    if (accept.includes('as=PartialObjectMetadataList')) {
      return json(response, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: page.map(toPartialMetadata) })
    }
    // Lists of built-in kinds leave kind and apiVersion off their items; custom resources keep them.
    const items = page.map((object) => {
      const item = served(resource, version, object, 'application/json') as Record<string, unknown>
      if (resource.group === '' || resource.group === 'discovery.k8s.io') {
        const { kind: _kind, apiVersion: _apiVersion, ...rest } = item
        return rest
      }
      return item
    })
    json(response, 200, { kind: `${resource.kind}List`, apiVersion: groupVersion(resource.group, version), metadata, items })
  }

  private watch(resource: ServedResource, version: string, namespace: string | undefined, selects: (object: StoredObject) => boolean, query: URLSearchParams, accept: string, response: ServerResponse): void {
    const from = query.get('resourceVersion')
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' })
    response.flushHeaders()
    const write = (type: string, object: unknown) => response.write(JSON.stringify({ type, object }) + '\n')
    const send = (event: { type: string; object: StoredObject }) => {
      if (event.object === undefined || !selects(event.object)) return
      const object = accept.includes('as=Table')
        ? toTable(resource, [event.object], String(event.object.metadata.resourceVersion))
        : served(resource, version, event.object, accept.includes('as=PartialObjectMetadata') ? 'metadata' : 'application/json')
      write(event.type, object)
    }
    let bookmarks: ReturnType<typeof setInterval> | undefined
    let timeout: ReturnType<typeof setTimeout> | undefined
    const watch: OpenWatch = {
      response,
      end: (gone = false) => {
        if (gone) write('ERROR', goneStatus(Number(from ?? 0), this.store.compactedAt))
        cleanup()
        response.end()
      },
    }
    const listener = (event: StoreEvent) => {
      if (event.resource === resource) send(event)
    }
    const cleanup = () => {
      this.watches.delete(watch)
      unsubscribe()
      if (bookmarks !== undefined) clearInterval(bookmarks)
      if (timeout !== undefined) clearTimeout(timeout)
    }
    let unsubscribe: () => void = () => undefined
    response.on('close', cleanup)
    if (from === null || from === '' || from === '0') {
      // "Get state and start at most recent": every current object as ADDED, then changes.
      for (const object of this.store.list(resource, resource.namespaced ? namespace : undefined)) send({ type: 'ADDED', object })
    } else {
      const missed = this.store.eventsSince(Number(from))
      if (missed === 'gone') {
        write('ERROR', goneStatus(Number(from), this.store.compactedAt))
        response.end()
        return
      }
      for (const event of missed) if (event.resource === resource) send(event)
    }
    this.watches.add(watch)
    unsubscribe = this.store.subscribe(listener)
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0)
    if (timeoutSeconds > 0) timeout = setTimeout(() => watch.end(), timeoutSeconds * 1000)
    if (query.get('allowWatchBookmarks') === 'true') {
      bookmarks = setInterval(() => {
        write('BOOKMARK', { kind: resource.kind, apiVersion: groupVersion(resource.group, version), metadata: { resourceVersion: String(this.store.resourceVersion) } })
      }, this.bookmarkIntervalMs)
    }
  }

  private resourceOf(apiVersion: string | undefined, kind: string | undefined): ServedResource {
    const [group, version] = (apiVersion ?? '').includes('/') ? (apiVersion ?? '').split('/') : ['', apiVersion ?? '']
    const resource = this.resources.find((candidate) => candidate.kind === kind && candidate.group === group && candidate.versions.includes(version!))
    if (resource === undefined) throw new Error(`the fake API server does not serve ${apiVersion} ${kind}`)
    return resource
  }
}

/** An object at the version asked for, whole or as PartialObjectMetadata. */
function served(resource: ServedResource, version: string, object: StoredObject, accept: string): unknown {
  if (accept === 'metadata' || accept.includes('as=PartialObjectMetadata')) return toPartialMetadata(object)
  return { ...object, apiVersion: groupVersion(resource.group, version), kind: resource.kind }
}

function goneStatus(asked: number, oldest: number): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${asked} (${oldest})`, reason: 'Expired', code: 410 }
}

function json(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

function status(response: ServerResponse, code: number, reason: string, message: string, details?: Record<string, unknown>): void {
  json(response, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) })
}

function notFound(response: ServerResponse, message: string): void {
  status(response, 404, 'NotFound', message)
}
