import type { RawResource } from '../../source/resource.js'
import type { CompiledDestinationRule, CompiledGateway, CompiledGatewayPort, CompiledServiceEntry, MeshIdentity } from '../snapshot.js'
import type { HostIndex } from '../hosts/host-index.js'
import type { GatewaySelection } from '../options.js'
import { refOf } from '../order.js'
import { kubernetesGatewayPorts } from '../gateway-api/index.js'
import type { HttpRoutes } from '../gateway-api/index.js'
import { istioServers, selectIstioGateways } from './istio-gateway.js'
import { istioGatewayPorts } from './virtual-services.js'

export interface GatewayCompileInput {
  readonly resources: readonly RawResource[]
  readonly selection: GatewaySelection
  readonly identity: MeshIdentity
  readonly destinationRules: HostIndex<CompiledDestinationRule>
  readonly serviceEntries: HostIndex<CompiledServiceEntry>
  readonly httpRoutes: HttpRoutes
}

/**
 * The gateway a process implements, with a route table per port, or undefined when the rules
 * define no such gateway. `namespace/name` names an Istio Gateway, else a Gateway API Gateway;
 * labels select Istio Gateways by their `selector`.
 */
export function compileGateway(input: GatewayCompileInput): CompiledGateway | undefined {
  const { selection } = input
  const name = typeof selection === 'string' ? selection : Object.entries(selection).map(([key, value]) => `${key}=${value}`).join(',')
  const istio = selectIstioGateways(input.resources, selection)
  if (istio.length > 0) {
    const servers = istioServers(istio)
    const gatewayNames = new Set(istio.map((resource) => `${resource.namespace}/${resource.name}`))
    const ports = istioGatewayPorts(
      // The Gateway's namespace decides `./host` and which VirtualServices are exported to it.
      { resources: input.resources, servers, gatewayNames, namespace: istio[0]!.namespace, identity: input.identity, destinationRules: input.destinationRules, serviceEntries: input.serviceEntries },
      name,
    )
    return gateway(name, 'Gateway', istio, ports, [])
  }
  if (typeof selection !== 'string') return undefined
  const kubernetes = input.resources.find((resource) => resource.kind === 'KubernetesGateway' && resource.spec && `${resource.namespace}/${resource.name}` === selection)
  if (kubernetes === undefined) return undefined
  const { ports, status } = kubernetesGatewayPorts(kubernetes, input.httpRoutes)
  return gateway(name, 'KubernetesGateway', [kubernetes], ports, status)
}

function gateway(name: string, kind: CompiledGateway['kind'], sources: readonly RawResource[], ports: CompiledGatewayPort[], routeStatus: CompiledGateway['routeStatus']): CompiledGateway {
  const byPort = new Map(ports.map((port) => [port.port, port]))
  return { name, kind, sources: sources.map(refOf), ports, routeStatus, portFor: (port) => byPort.get(port) }
}
