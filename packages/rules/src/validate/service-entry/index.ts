import type { ValidationInput } from '../context.js'
import type { Field } from '../field.js'
import { readEnum, readList, readObject, readString } from '../common/read.js'
import { checkDns1123Labels } from '../common/host.js'
import { validateExportTo } from '../common/export-to.js'
import { validateSelectorLabels } from '../common/selector.js'
import { validateWorkloadEndpoint } from '../workload-entry/endpoint.js'
import { validateServiceAddresses, validateServiceHosts } from './hosts.js'
import { validateServicePorts } from './ports.js'
import type { DeclaredPort } from './ports.js'
import { protocolClass } from './protocol.js'

const SPEC_FIELDS = ['hosts', 'addresses', 'ports', 'location', 'resolution', 'endpoints', 'workloadSelector', 'exportTo', 'subjectAltNames'] as const
const RESOLUTIONS = ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'] as const
type Resolution = (typeof RESOLUTIONS)[number]

/**
 * Validates a ServiceEntry as Istio's CRD schema and admission webhook would (`validation.go`
 * ValidateServiceEntry; reference §15).
 */
export function validateServiceEntry({ root, resource }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, SPEC_FIELDS)) return
  const resolution: Resolution = readEnum(spec.at('resolution'), RESOLUTIONS) ?? 'NONE'
  readEnum(spec.at('location'), ['MESH_EXTERNAL', 'MESH_INTERNAL'] as const)
  const hosts = validateServiceHosts(spec.at('hosts'))
  const hasAddresses = validateServiceAddresses(spec.at('addresses'), resolution)
  const ports = validateServicePorts(spec.at('ports'), resolution)
  readList(spec.at('subjectAltNames')).forEach((name) => readString(name))
  validateExportTo(spec.at('exportTo'), { namespace: resource.namespace, allowNone: true, hasWorkloadSelector: false })

  const selector = spec.at('workloadSelector')
  const endpoints = spec.at('endpoints')
  if (readObject(selector, ['labels'])) {
    validateSelectorLabels(selector.at('labels'), 'workloadSelector has no labels, so it selects every workload in the namespace')
  }
  if (selector.present && endpoints.present) {
    endpoints.error('SE_ENDPOINTS_WITH_SELECTOR', 'set either endpoints or workloadSelector, not both')
  }
  validateEndpointsFor(resolution, spec, hosts, ports)
  if (hasAddresses && (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && hosts.length > 1 && ports.some((p) => protocolClass(p.protocol)?.tcp)) {
    spec.at('hosts').warn('SE_MULTIPLE_HOSTS_WITH_ADDRESS', 'a ServiceEntry with addresses and a TCP port should have a single host; the hosts cannot be told apart on one address')
  }
  if (resolution !== 'NONE' && hosts.length > 1) {
    const opaque = ports.find((port) => {
      const kind = protocolClass(port.protocol)
      return !kind?.http && !kind?.tls
    })
    if (opaque) {
      opaque.field.at('protocol').error(
        'SE_MULTIPLE_HOSTS_OPAQUE_PORT',
        `several hosts with ${opaque.protocol === '' ? 'a port without protocol' : `protocol ${opaque.protocol}`}: plain TCP cannot tell the hosts apart; use an HTTP or TLS protocol, one host, or resolution NONE`,
      )
    }
  }
}

/** The endpoint rules of each resolution (the resolution switch of ValidateServiceEntry; CRD CEL). */
function validateEndpointsFor(resolution: Resolution, spec: Field, hosts: readonly string[], ports: readonly DeclaredPort[]): void {
  const endpointsField = spec.at('endpoints')
  const endpoints = readList(endpointsField)
  const selector = spec.at('workloadSelector')
  const servicePortNames = [...new Set(ports.flatMap((port) => (port.name === undefined ? [] : [port.name])))]
  switch (resolution) {
    case 'NONE':
      if (endpointsField.present) endpointsField.error('SE_ENDPOINTS_WITH_NONE', 'resolution NONE takes no endpoints; use STATIC (IPs) or DNS (host names), or remove endpoints')
      if (selector.present) selector.warn('SE_SELECTOR_IGNORED', 'workloadSelector has no effect with resolution NONE; use STATIC')
      return
    case 'STATIC':
      for (const endpoint of endpoints) {
        if (!endpoint.present) {
          endpoint.error('REQUIRED', 'an endpoint may not be null; remove the empty list item')
          continue
        }
        const { unixSocket } = validateWorkloadEndpoint(endpoint, { addressRule: 'static', servicePortNames })
        if (unixSocket && ports.length !== 1) {
          endpoint.at('address').error('SE_UNIX_ENDPOINT_PORTS', `a unix socket endpoint needs exactly one service port, but ${ports.length} are declared`)
        }
      }
      return
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        for (const [index, host] of hosts.entries()) {
          if (host !== '*' && checkDns1123Labels(host) !== undefined) {
            const why = selector.present
              ? `Istio requires full host names with resolution ${resolution} when no endpoints are listed, even with a workloadSelector`
              : `resolution ${resolution} without endpoints resolves each host itself`
            spec.at('hosts').at(index).error('SE_DNS_HOST_NOT_FQDN', `${why}, so "${host}" must be a full host name (no wildcard); add endpoints or use resolution NONE`)
          }
        }
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
        endpointsField.error('SE_DNS_ROUND_ROBIN_ENDPOINTS', 'resolution DNS_ROUND_ROBIN takes at most one endpoint; use DNS for several')
      }
      for (const endpoint of endpoints) {
        if (!endpoint.present) endpoint.error('REQUIRED', 'an endpoint may not be null; remove the empty list item')
        else validateWorkloadEndpoint(endpoint, { addressRule: 'dns', servicePortNames })
      }
      // A workloadSelector is honoured with DNS: Istio builds the endpoints from the WorkloadEntries
      // it selects and resolves their addresses (`conversion.go` convertServiceEntryToInstances
      // resolves the host itself only when there are neither endpoints nor a selector).
      return
    case 'DYNAMIC_DNS':
      // api:networking/v1alpha3/service_entry.proto: DYNAMIC_DNS resolves the request's own host,
      // must be used with wildcard hosts, ignores endpoints and is for MESH_EXTERNAL only.
      if (endpointsField.present) endpointsField.warn('SE_DYNAMIC_DNS_ENDPOINTS', 'endpoints are ignored with resolution DYNAMIC_DNS')
      hosts.forEach((host, index) => {
        if (!host.startsWith('*')) spec.at('hosts').at(index).warn('SE_DYNAMIC_DNS_HOST', `resolution DYNAMIC_DNS is meant for wildcard hosts; "${host}" can use DNS`)
      })
      if (spec.at('location').value === 'MESH_INTERNAL') spec.at('location').warn('SE_DYNAMIC_DNS_LOCATION', 'resolution DYNAMIC_DNS is only supported for MESH_EXTERNAL')
      return
  }
}
