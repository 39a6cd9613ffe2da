import { MeshError } from '@meshlet/core'
import type { Clock, Random } from '@meshlet/core'
import { Reconnector, sleep } from '../reconnect/reconnector.js'
import type { EtcdGateway } from './client/gateway.js'
import { workloadKey } from './keys.js'
import { isValidAddress, workloadDocument } from './workload.js'
import type { WorkloadInstance } from './workload.js'

/** What `mesh.register()` takes: one instance of a workload, as a WorkloadEntry describes it. */
export interface RegistrationRequest extends WorkloadInstance {
  /** Lease TTL; default the etcd option's leaseTtlSeconds (10). */
  readonly ttlSeconds?: number
}

/** An instance registered in etcd; `close()` deregisters it at once. */
export interface Registration {
  /** `<prefix>workloads/<namespace>/<name>`. */
  readonly key: string
  /** The lease in use (it changes when an expired lease is replaced). */
  readonly leaseId: string | undefined
  close(): Promise<void>
}

export interface LeasedRegistrationParts {
  readonly gateway: EtcdGateway
  readonly prefix: string
  readonly request: RegistrationRequest
  readonly ttlSeconds: number
  readonly clock: Clock
  readonly random: Random
  readonly onClose: (registration: LeasedRegistration) => void
}

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** Short backoff while the lease cannot be renewed: the lease TTL is the deadline. */
const RENEW_RETRY = { initialDelayMs: 200, maxDelayMs: 2_000, breakerThreshold: Number.MAX_SAFE_INTEGER, breakerOpenMs: 0, stableAfterMs: 0 }

/**
 * A WorkloadEntry on a lease, kept alive: granted and written at open, renewed every third of its
 * TTL. When etcd is unreachable it keeps trying; when the lease turns out to have expired meanwhile
 * (etcd was away longer than the TTL) it is granted again and the entry written again, so an
 * instance that outlives an outage is registered again without anyone's help.
 */
export class LeasedRegistration implements Registration {
  readonly key: string
  private readonly document: string
  private readonly abort = new AbortController()
  private lease: string | undefined
  private loop: Promise<void> | undefined
  private closing: Promise<void> | undefined

  constructor(private readonly parts: LeasedRegistrationParts) {
    const request = checkRequest(parts.request, parts.ttlSeconds)
    this.key = workloadKey(parts.prefix, request.namespace, request.name)
    this.document = workloadDocument(request)
  }

  get leaseId(): string | undefined {
    return this.lease
  }

  /** Writes the entry (retrying until `timeoutMs`), then keeps it alive in the background. */
  async open(timeoutMs: number): Promise<void> {
    const { clock } = this.parts
    const deadline = clock.now() + timeoutMs
    const reconnector = new Reconnector(RENEW_RETRY, this.parts.random)
    for (;;) {
      try {
        await this.write()
        break
      } catch (error) {
        const delayMs = reconnector.failed().delayMs
        if (clock.now() + delayMs > deadline || this.abort.signal.aborted) {
          throw new MeshError('MESHLET_ERR_REGISTRATION_FAILED', `mesh.register: could not write ${this.key} within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error })
        }
        await sleep(clock, delayMs, this.abort.signal)
      }
    }
    this.loop = this.keepAlive()
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.abort.abort()
      await this.loop
      this.parts.onClose(this)
      // Revoking the lease deletes the key at once; if etcd is away, the lease expires instead.
      if (this.lease !== undefined) await this.parts.gateway.revoke(this.lease).catch(() => undefined)
      this.lease = undefined
    })()
    return this.closing
  }

  private async write(): Promise<void> {
    const { gateway, ttlSeconds } = this.parts
    const lease = await gateway.grant(ttlSeconds)
    await gateway.put(this.key, this.document, lease.id)
    this.lease = lease.id
  }

  private async keepAlive(): Promise<void> {
    const { clock, gateway, ttlSeconds } = this.parts
    const { signal } = this.abort
    const everyMs = (ttlSeconds * 1000) / 3
    const reconnector = new Reconnector(RENEW_RETRY, this.parts.random)
    let delayMs = everyMs
    while (await sleep(clock, delayMs, signal)) {
      try {
        const left = this.lease === undefined ? 0 : await gateway.keepAlive(this.lease)
        if (left <= 0) await this.write()
        reconnector.succeeded()
        delayMs = everyMs
      } catch {
        delayMs = Math.min(everyMs, reconnector.failed().delayMs)
      }
    }
  }
}

function checkRequest(request: RegistrationRequest, ttlSeconds: number): RegistrationRequest {
  const invalid = (field: string, expected: string) => new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `mesh.register: ${field} must be ${expected}`)
  if (typeof request !== 'object' || request === null) throw invalid('the instance', 'an object { name, address, port, labels }')
  if (typeof request.name !== 'string' || request.name.length > 253 || !DNS_1123_SUBDOMAIN.test(request.name)) throw invalid('name', `a DNS-1123 name (lower case letters, digits, '-' and '.'), got ${JSON.stringify(request.name)}`)
  if (typeof request.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(request.namespace)) throw invalid('namespace', `a DNS-1123 label, got ${JSON.stringify(request.namespace)}`)
  if (typeof request.address !== 'string' || !isValidAddress(request.address)) throw invalid('address', `an IP address, a host name or unix:///path, got ${JSON.stringify(request.address)}`)
  const isPort = (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535
  if (request.port !== undefined && !isPort(request.port)) throw invalid('port', 'an integer 1..65535')
  for (const [name, port] of Object.entries(request.ports ?? {})) if (!isPort(port)) throw invalid(`ports.${name}`, 'an integer 1..65535')
  for (const [name, value] of Object.entries(request.labels ?? {})) if (typeof value !== 'string') throw invalid(`labels.${name}`, 'a string')
  if (request.weight !== undefined && !(Number.isInteger(request.weight) && request.weight >= 0)) throw invalid('weight', 'an integer ≥ 0')
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds >= 1)) throw invalid('ttlSeconds', 'an integer number of seconds ≥ 1')
  return request
}
