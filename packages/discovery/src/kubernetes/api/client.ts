import { undici } from '../../internal/lazy-modules.js'
import type { Agent } from 'undici'
import type { Dispatcher } from 'undici'
import { MeshError } from '@meshlet/core'
import type { ClusterAccess } from '../config/access.js'
import { KubernetesApiError, retryAfterMs } from './errors.js'
import { qualifiedName } from './resource-types.js'
import type { ResourceType } from './resource-types.js'
import { splitLines } from './lines.js'

/** What a request is for, so every error names the verb, the resource and the namespace. */
export interface Operation {
  readonly verb: 'get' | 'list' | 'watch'
  readonly type: ResourceType | undefined
  readonly namespace: string | undefined
}

/** One event of a watch stream (`k8s.io/apimachinery/pkg/watch` WatchEvent). */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  readonly object: Record<string, unknown>
}

/** Timeouts of the API client (client-go's defaults are in the same range). */
export const KUBERNETES_CLIENT_DEFAULTS = {
  /** Headers of any answer, and a whole list page. */
  requestTimeoutMs: 30_000,
  /** Beyond the watch's own timeoutSeconds: a watch silent for longer is taken as a dead connection. */
  watchGraceMs: 30_000,
} as const

/**
 * A minimal Kubernetes API client on undici: GET a JSON document, or open a watch and read its
 * newline-delimited events. Credentials come from a ClusterAccess (bearer token re-read as it
 * rotates, client certificate, CA); a 401 drops the cached credential so the next try reads it
 * afresh. Errors are KubernetesApiError (an HTTP answer) or a MeshError naming the server.
 */
export class KubernetesClient {
  private readonly agent: Agent

  constructor(readonly access: ClusterAccess) {
    this.agent = new (undici().Agent)({
      connect: {
        ca: access.ca,
        cert: access.cert,
        key: access.key,
        servername: access.serverName,
        rejectUnauthorized: !access.insecureSkipTlsVerify,
      },
      keepAliveTimeout: 30_000,
      // Watches are long-lived GETs; several kinds share the connection pool.
      connections: 32,
    })
  }

  /** GET `path` and parse the JSON answer. */
  async getJson(path: string, query: Readonly<Record<string, string | undefined>>, accept: string, operation: Operation, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const answer = await this.send(path, query, accept, operation, signal, KUBERNETES_CLIENT_DEFAULTS.requestTimeoutMs)
    const text = await answer.body.text()
    try {
      return JSON.parse(text) as Record<string, unknown>
    } catch {
      throw this.unexpected(operation, `answered with something that is not JSON (${text.slice(0, 80)})`)
    }
  }

  /**
   * Opens a watch (`watch=1` must be in `query`): resolves once the server accepted it (status 200),
   * with the stream of its events, which ends when the server ends the watch (its timeoutSeconds),
   * throws when the connection breaks, and stops when `signal` aborts.
   */
  async openWatch(path: string, query: Readonly<Record<string, string | undefined>>, accept: string, operation: Operation, bodyTimeoutMs: number, signal: AbortSignal): Promise<AsyncGenerator<WatchEvent>> {
    const answer = await this.send(path, query, accept, operation, signal, bodyTimeoutMs)
    return this.events(answer, operation, signal)
  }

  private async *events(answer: Dispatcher.ResponseData, operation: Operation, signal: AbortSignal): AsyncGenerator<WatchEvent> {
    try {
      for await (const line of splitLines(answer.body as AsyncIterable<Buffer>)) {
        let event: WatchEvent
        try {
          event = JSON.parse(line) as WatchEvent
        } catch {
          throw this.unexpected(operation, `sent a watch event that is not JSON (${line.slice(0, 80)})`)
        }
        yield event
      }
    } catch (error) {
      if (signal.aborted || error instanceof MeshError) throw error
      throw this.unreachable(operation, error)
    } finally {
      answer.body.destroy()
    }
  }

  close(): Promise<void> {
    return this.agent.close()
  }

  /** Destroys open connections at once (a watch blocked on a dead connection ends). */
  destroy(): Promise<void> {
    return this.agent.destroy()
  }

  private async send(
    path: string,
    query: Readonly<Record<string, string | undefined>>,
    accept: string,
    operation: Operation,
    signal: AbortSignal | undefined,
    bodyTimeoutMs: number,
  ): Promise<Dispatcher.ResponseData> {
    const url = new URL(this.access.server + path)
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value)
    const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT }
    const authorization = await this.access.authorization()
    if (authorization !== undefined) headers.authorization = authorization
    let answer: Dispatcher.ResponseData
    try {
      answer = await undici().request(url, { method: 'GET', headers, dispatcher: this.agent, signal, headersTimeout: KUBERNETES_CLIENT_DEFAULTS.requestTimeoutMs, bodyTimeout: bodyTimeoutMs })
    } catch (error) {
      if (signal?.aborted) throw error
      throw this.unreachable(operation, error)
    }
    if (answer.statusCode >= 200 && answer.statusCode < 300) return answer
    const text = await answer.body.text().catch(() => '')
    if (answer.statusCode === 401) this.access.invalidate()
    throw this.statusError(operation, answer.statusCode, text, answer.headers['retry-after'])
  }

  /** A Status from an HTTP answer or a watch ERROR event, as an error that says what to do. */
  statusError(operation: Operation, status: number, body: string | Record<string, unknown>, retryAfter?: string | string[]): KubernetesApiError {
    let parsed: Record<string, unknown> = {}
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body) as Record<string, unknown>
      } catch {
        parsed = { message: body.slice(0, 200) }
      }
    } else {
      parsed = body
    }
    const reason = typeof parsed.reason === 'string' ? parsed.reason : undefined
    const serverMessage = typeof parsed.message === 'string' ? parsed.message : ''
    const what = describe(operation)
    const delayMs = retryAfterMs(retryAfter) ?? retryAfterFromDetails(parsed)
    if (status === 401) {
      return new KubernetesApiError(
        'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED',
        `kubernetes: the API server ${this.access.server} rejected the credentials of ${this.access.description} (401 Unauthorized) when asked to ${what}: the token or client certificate is invalid or expired`,
        status,
        reason,
        delayMs,
      )
    }
    if (status === 403) {
      const type = operation.type
      const grant =
        type === undefined
          ? ''
          : ` Grant get, list and watch on "${type.plural}" in apiGroup "${type.group}"${operation.namespace === undefined && type.namespaced ? ' in every namespace (a ClusterRole), or set kubernetes.namespaces to the namespaces it may read' : ''}; docs/discovery.md has a ClusterRole with every permission meshlet needs.`
      return new KubernetesApiError(
        'MESHLET_ERR_DISCOVERY_PERMISSION_DENIED',
        `kubernetes: ${this.access.description} may not ${what} (403 Forbidden${serverMessage ? `: ${serverMessage}` : ''}).${grant}`,
        status,
        reason,
        delayMs,
      )
    }
    return new KubernetesApiError(
      'MESHLET_ERR_DISCOVERY_UNREACHABLE',
      `kubernetes: the API server ${this.access.server} answered ${status}${reason ? ` ${reason}` : ''} when asked to ${what}${serverMessage ? `: ${serverMessage}` : ''}`,
      status,
      reason,
      delayMs,
    )
  }

  private unreachable(operation: Operation, error: unknown): MeshError {
    const cause = error as NodeJS.ErrnoException
    const detail = cause?.code ?? cause?.message ?? String(error)
    return new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `kubernetes: cannot reach the API server ${this.access.server} (${detail}) to ${describe(operation)}`, { cause: error })
  }

  private unexpected(operation: Operation, what: string): MeshError {
    return new MeshError('MESHLET_ERR_DISCOVERY_UNREACHABLE', `kubernetes: the API server ${this.access.server} ${what} when asked to ${describe(operation)}`)
  }
}

const USER_AGENT = 'meshlet-discovery'

/** `list endpointslices.discovery.k8s.io in namespace "shop"` */
export function describe(operation: Operation): string {
  const what = operation.type === undefined ? 'API discovery' : qualifiedName(operation.type)
  const where = operation.type === undefined || !operation.type.namespaced ? '' : operation.namespace === undefined ? ' in all namespaces' : ` in namespace "${operation.namespace}"`
  return `${operation.verb} ${what}${where}`
}

/** A 429 Status may carry `details.retryAfterSeconds` instead of (or as well as) the header. */
function retryAfterFromDetails(status: Record<string, unknown>): number | undefined {
  const details = status.details as { retryAfterSeconds?: unknown } | undefined
  return typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds * 1000 : undefined
}
