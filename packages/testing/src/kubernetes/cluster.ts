import { startUpstream } from '../upstream/upstream.js'
import type { Upstream, UpstreamOptions } from '../upstream/upstream.js'
import { FakeKubernetesApiServer } from './api-server.js'
import type { FakeApiServerOptions } from './api-server.js'
import { endpointSliceObject, podObject, serviceObject } from './objects.js'

/** A pod of the fake cluster: a real HTTP server on its own loopback address. */
export interface FakePod {
  readonly namespace: string
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  /** `127.0.0.N`. */
  readonly address: string
  readonly upstream: Upstream
  /** Ready and not terminating, as the kubelet reports it. */
  phase: 'ready' | 'not-ready' | 'terminating'
  readonly nodeName: string | undefined
}

interface ServiceRecord {
  readonly namespace: string
  readonly name: string
  readonly selector: Readonly<Record<string, string>>
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly targetPort: number }>
}

export interface FakeClusterOptions {
  readonly api?: FakeApiServerOptions
  /** What each pod's server answers (see startUpstream). Default: 200 with an echo body. */
  readonly pod?: Omit<UpstreamOptions, 'host' | 'port' | 'name'>
}

/**
 * A small Kubernetes cluster for tests: the fake API server, pods that are real HTTP servers each
 * on its own loopback address (127.0.0.2, 127.0.0.3, ...) and all on one port, as pods have their
 * own IPs, and an EndpointSlice controller: each Service with a selector gets one slice listing
 * the pods it selects with their conditions (ready; terminating pods are not ready, still serving).
 */
export class FakeCluster {
  readonly pods = new Map<string, FakePod>()
  private readonly services = new Map<string, ServiceRecord>()
  private nextAddress = 2
  private podPort = 0

  private constructor(
    readonly api: FakeKubernetesApiServer,
    private readonly options: FakeClusterOptions,
  ) {}

  static async start(options: FakeClusterOptions = {}): Promise<FakeCluster> {
    return new FakeCluster(await FakeKubernetesApiServer.start(options.api), options)
  }

  /** The port every pod listens on (0 until the first pod starts). */
  get port(): number {
    return this.podPort
  }

  /**
   * A Service selecting pods by labels; its port forwards to the pods' port. `port` defaults to
   * the pods' port, so `http://<name>.<namespace>:<port>` reaches them.
   */
  addService(namespace: string, name: string, selector: Readonly<Record<string, string>>, options: { port?: number; portName?: string } = {}): void {
    const port = options.port ?? 80
    const record: ServiceRecord = { namespace, name, selector, ports: [{ name: options.portName ?? 'http', port, targetPort: 0 }] }
    this.services.set(`${namespace}/${name}`, record)
    this.api.apply(serviceObject(namespace, name, [{ name: options.portName ?? 'http', port, targetPort: 'http' }], selector))
    this.syncSlice(record)
  }

  /** Starts a pod: its server listens, its Pod object is written, the slices of its services list it. */
  async startPod(namespace: string, name: string, labels: Readonly<Record<string, string>>, options: { ready?: boolean; nodeName?: string } = {}): Promise<FakePod> {
    const address = `127.0.0.${this.nextAddress++}`
    const upstream = await startUpstream({ ...this.options.pod, name, host: address, port: this.podPort })
    this.podPort = upstream.port
    const pod: FakePod = { namespace, name, labels, address, upstream, phase: options.ready === false ? 'not-ready' : 'ready', nodeName: options.nodeName }
    this.pods.set(`${namespace}/${name}`, pod)
    this.api.apply(podObject(namespace, name, labels, address, options.nodeName))
    this.syncSlicesOf(pod)
    return pod
  }

  setReady(pod: FakePod, ready: boolean): void {
    pod.phase = ready ? 'ready' : 'not-ready'
    this.syncSlicesOf(pod)
  }

  /** The pod starts terminating: not ready, still serving (EndpointSlice conditions since Kubernetes 1.26). */
  terminate(pod: FakePod): void {
    pod.phase = 'terminating'
    this.syncSlicesOf(pod)
  }

  /** The pod is gone: out of the slices, its Pod object deleted, its server closed. */
  async deletePod(pod: FakePod): Promise<void> {
    this.pods.delete(`${pod.namespace}/${pod.name}`)
    this.syncSlicesOf(pod)
    this.api.remove('v1', 'Pod', pod.namespace, pod.name)
    await pod.upstream.close()
  }

  async close(): Promise<void> {
    await Promise.all([...this.pods.values()].map((pod) => pod.upstream.close()))
    this.pods.clear()
    await this.api.close()
  }

  private syncSlicesOf(pod: FakePod): void {
    for (const service of this.services.values()) {
      if (service.namespace === pod.namespace && selects(service.selector, pod.labels)) this.syncSlice(service)
    }
  }

  private syncSlice(service: ServiceRecord): void {
    const members = [...this.pods.values()].filter((pod) => pod.namespace === service.namespace && selects(service.selector, pod.labels))
    const endpoints = members.map((pod) => ({
      address: pod.address,
      ready: pod.phase === 'ready',
      serving: pod.phase !== 'not-ready',
      terminating: pod.phase === 'terminating',
      podName: pod.name,
      nodeName: pod.nodeName,
    }))
    const ports = service.ports.map((port) => ({ name: port.name, port: this.podPort }))
    this.api.apply(endpointSliceObject(service.namespace, `${service.name}-slice`, service.name, this.podPort === 0 ? [] : ports, endpoints))
  }
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value)
}
