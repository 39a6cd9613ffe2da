import { MeshError, TypedEmitter } from '@meshlet/core'
import { MeshConfigError } from '@meshlet/rules'
import type { GatewaySelection, MeshSnapshot } from '@meshlet/rules'
import { assembleMesh } from '../mesh/create-mesh.js'
import type { GatewayEvents } from './events.js'
import { Gateway } from './gateway.js'
import { InboundFront } from './inbound/front.js'
import type { CreateGatewayOptions } from './options.js'
import { DEFAULT_GATEWAY_LIMITS, resolveLimits } from './options.js'
import { GatewayStats } from './stats.js'

/**
 * Builds an ingress gateway: createMesh's sources, compiler and outbound stack (every createMesh
 * option works), with the rules compiled for the Gateway named by `gateway`, and an inbound front.
 * Throws MESHLET_ERR_GATEWAY_NOT_FOUND when the rules define no such Gateway, and MeshConfigError
 * for rules Istio would reject. A reload that loses the Gateway is refused (configRejected).
 */
export async function createGateway(options: CreateGatewayOptions): Promise<Gateway> {
  const selection = checkSelection(options)
  checkGatewayOptions(options)
  // Selector labels are this workload's labels (sourceLabels matches read them too). The namespace
  // option keeps createMesh's meaning (and default): where resources without one live.
  const labels = typeof selection === 'string' ? options.labels : { ...selection, ...options.labels }
  const meshOptions = { ...options, labels }
  let first = true
  const assembled = await assembleMesh(meshOptions, {
    compile: { gateway: selection },
    accept: (snapshot) => {
      if (snapshot.gateway !== undefined) return
      if (first) throw new MeshError('MESHLET_ERR_GATEWAY_NOT_FOUND', notFound(selection, snapshot))
      throw new MeshConfigError([{ severity: 'error', code: 'GATEWAY_NOT_FOUND', message: notFound(selection, snapshot), file: '<rules>', line: 0, column: 0, path: [] }])
    },
  })
  first = false
  const events = new TypedEmitter<GatewayEvents>()
  const stats = new GatewayStats()
  const limits = resolveLimits(options.limits)
  const front = new InboundFront({
    handler: assembled.handler,
    reloader: assembled.reloader,
    lifecycle: assembled.lifecycle,
    clock: assembled.clock,
    random: assembled.random,
    events,
    stats,
    limits,
    defaultPort: () => {
      const gateway = assembled.reloader.current.gateway
      return options.port ?? gateway?.ports.find((port) => port.protocol === 'HTTP')?.port ?? gateway?.ports[0]?.port
    },
  })
  return new Gateway({ mesh: assembled.mesh, front, events, stats, limits })
}

function checkSelection(options: CreateGatewayOptions): GatewaySelection {
  const selection = (options as { gateway?: unknown })?.gateway
  if (typeof selection === 'string') {
    if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(selection)) return selection
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createGateway: option gateway must be "namespace/name" (e.g. "istio-system/public"), got ${JSON.stringify(selection)}`)
  }
  if (typeof selection === 'object' && selection !== null && !Array.isArray(selection) && Object.keys(selection).length > 0 && Object.values(selection).every((value) => typeof value === 'string')) {
    return selection as Record<string, string>
  }
  throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', 'createGateway: option gateway is required: "namespace/name" of a Gateway, or the gateway workload\'s labels such as { istio: "ingressgateway" }')
}

/** `port` and `limits` are the gateway's own options (the others are createMesh's, checked there). */
function checkGatewayOptions(options: CreateGatewayOptions): void {
  const invalid = (name: string, expected: string) => new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createGateway: option ${name} must be ${expected}`)
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 1 && options.port <= 65535)) throw invalid('port', 'an integer port 1..65535')
  if (options.limits === undefined) return
  if (typeof options.limits !== 'object' || options.limits === null) throw invalid('limits', 'an object')
  for (const [name, value] of Object.entries(options.limits)) {
    if (!(name in DEFAULT_GATEWAY_LIMITS)) throw invalid(`limits.${name}`, `one of ${Object.keys(DEFAULT_GATEWAY_LIMITS).join(', ')}`)
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw invalid(`limits.${name}`, 'a number above 0')
  }
}

function notFound(selection: GatewaySelection, snapshot: MeshSnapshot): string {
  const istio = snapshot.resources.filter((resource) => resource.kind === 'Gateway').map((resource) => `${resource.namespace}/${resource.name}`)
  const api = snapshot.resources.filter((resource) => resource.kind === 'KubernetesGateway').map((resource) => `${resource.namespace}/${resource.name}`)
  const known = [...istio.map((name) => `Gateway ${name}`), ...api.map((name) => `Gateway.gateway.networking.k8s.io ${name}`)]
  const asked = typeof selection === 'string' ? `Gateway ${selection}` : `a Gateway whose selector matches ${Object.entries(selection).map(([k, v]) => `${k}=${v}`).join(',')}`
  return `createGateway: the rules define no ${asked}${known.length > 0 ? `; they define ${known.join(', ')}` : ' (they define no Gateway)'}`
}
