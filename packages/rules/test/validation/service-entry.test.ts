import { describe, expect, it } from 'vitest'
import { describeFindings, errorsOf, findingsAt, SPEC_COLUMN_OFFSET, SPEC_LINE_OFFSET, validateYaml } from './helpers.js'

const validate = (spec: string) => validateYaml(spec, 'ServiceEntry')

interface Finding {
  readonly name: string
  readonly spec: string
  readonly path: string
  readonly severity: 'error' | 'warning'
  readonly code: string
  readonly message: string
}

const HTTP_PORT = `ports: [{number: 80, name: http, protocol: HTTP}]`

const findings: Finding[] = [
  // hosts
  { name: 'requires hosts', spec: `ports: [{number: 80, name: http}]`, path: 'spec.hosts', severity: 'error', code: 'REQUIRED', message: 'hosts is required' },
  { name: 'requires at least one host', spec: `hosts: []`, path: 'spec.hosts', severity: 'error', code: 'REQUIRED', message: 'at least one host' },
  { name: 'rejects "*" alone as a host', spec: `hosts: ["*"]`, path: 'spec.hosts[0]', severity: 'error', code: 'SE_HOST_WILDCARD_ALL', message: 'cannot be "*" alone' },
  { name: 'rejects a wildcard after the first label', spec: `hosts: ["api.*.example.com"]`, path: 'spec.hosts[0]', severity: 'error', code: 'SE_HOST_INVALID', message: 'only allowed in the first label' },
  { name: 'rejects an IP address as a host', spec: `hosts: [192.168.0.1]`, path: 'spec.hosts[0]', severity: 'error', code: 'SE_HOST_INVALID', message: 'may not be all numeric' },
  { name: 'warns about a partial wildcard host', spec: `hosts: ["*x.example.com"]`, path: 'spec.hosts[0]', severity: 'warning', code: 'SE_HOST_PARTIAL_WILDCARD', message: 'partial wildcard' },

  // addresses
  { name: 'rejects an address that is not an IP', spec: `hosts: [a.com]\naddresses: [a.com]`, path: 'spec.addresses[0]', severity: 'error', code: 'SE_ADDRESS_INVALID', message: 'not a valid IP address' },
  { name: 'rejects a CIDR with too many bits', spec: `hosts: [a.com]\naddresses: [1.2.3.4/99]`, path: 'spec.addresses[0]', severity: 'error', code: 'SE_ADDRESS_INVALID', message: 'not a valid CIDR block' },
  { name: 'rejects a CIDR address with DNS resolution', spec: `hosts: [a.com]\naddresses: [1.2.3.0/24]\nresolution: DNS`, path: 'spec.addresses[0]', severity: 'error', code: 'SE_CIDR_RESOLUTION', message: 'only allowed with resolution NONE or STATIC' },

  // ports
  { name: 'requires a port name', spec: `hosts: [a.com]\nports: [{number: 80}]`, path: 'spec.ports[0].name', severity: 'error', code: 'REQUIRED', message: 'port name is required' },
  { name: 'requires a port number', spec: `hosts: [a.com]\nports: [{name: http}]`, path: 'spec.ports[0].number', severity: 'error', code: 'REQUIRED', message: 'port number is required' },
  { name: 'rejects a port number above 65535', spec: `hosts: [a.com]\nports: [{number: 99999, name: a}]`, path: 'spec.ports[0].number', severity: 'error', code: 'RANGE', message: 'range 1..65535' },
  { name: 'rejects a target port above 65535', spec: `hosts: [a.com]\nports: [{number: 1, name: a, targetPort: 99999}]`, path: 'spec.ports[0].targetPort', severity: 'error', code: 'RANGE', message: 'range 1..65535' },
  { name: 'rejects a duplicate port number', spec: `hosts: [a.com]\nports: [{number: 1, name: a}, {number: 1, name: b}]`, path: 'spec.ports[1].number', severity: 'error', code: 'SE_PORT_DUPLICATE', message: 'already declared by ports[0]' },
  { name: 'rejects a duplicate port name', spec: `hosts: [a.com]\nports: [{number: 1, name: a}, {number: 12, name: a}]`, path: 'spec.ports[1].name', severity: 'error', code: 'SE_PORT_NAME_DUPLICATE', message: 'already used by ports[0]' },
  { name: 'rejects a port name that is not a DNS-1123 label', spec: `hosts: [a.com]\nports: [{number: 80, name: http_web}]`, path: 'spec.ports[0].name', severity: 'error', code: 'PORT_NAME_INVALID', message: 'invalid port name' },
  { name: 'rejects an unknown protocol', spec: `hosts: [a.com]\nports: [{number: 80, name: http, protocol: HTTP3}]`, path: 'spec.ports[0].protocol', severity: 'error', code: 'SE_PROTOCOL_UNKNOWN', message: 'unsupported protocol "HTTP3"' },
  { name: 'warns that targetPort does nothing with resolution NONE', spec: `hosts: [a.com]\nports: [{number: 80, name: http, targetPort: 8080}]`, path: 'spec.ports[0].targetPort', severity: 'warning', code: 'SE_TARGET_PORT_IGNORED', message: 'no effect when resolution is NONE' },
  { name: 'rejects several hosts on a plain TCP port with DNS resolution', spec: `hosts: [a.com, b.com]\nresolution: DNS\nports: [{number: 5432, name: pg, protocol: TCP}]`, path: 'spec.ports[0].protocol', severity: 'error', code: 'SE_MULTIPLE_HOSTS_OPAQUE_PORT', message: 'cannot tell the hosts apart' },

  // enums
  { name: 'rejects an unknown resolution', spec: `hosts: [a.com]\nresolution: DNS_ONLY`, path: 'spec.resolution', severity: 'error', code: 'ENUM', message: 'is not one of NONE, STATIC, DNS' },
  { name: 'rejects an unknown location', spec: `hosts: [a.com]\nlocation: EXTERNAL`, path: 'spec.location', severity: 'error', code: 'ENUM', message: 'MESH_EXTERNAL, MESH_INTERNAL' },

  // endpoints by resolution
  { name: 'rejects endpoints with resolution NONE', spec: `hosts: [a.com]\nendpoints: [{address: 1.2.3.4}]`, path: 'spec.endpoints', severity: 'error', code: 'SE_ENDPOINTS_WITH_NONE', message: 'resolution NONE takes no endpoints' },
  { name: 'rejects a host name endpoint with STATIC resolution', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nendpoints: [{address: backend.a.com}]`, path: 'spec.endpoints[0].address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'is not an IP address' },
  { name: 'rejects an endpoint port that the entry does not declare', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nendpoints: [{address: 1.2.3.4, ports: {https: 8443}}]`, path: 'spec.endpoints[0].ports.https', severity: 'error', code: 'SE_ENDPOINT_PORT_UNDECLARED', message: 'not declared in spec.ports (declared: http)' },
  { name: 'rejects an endpoint without address or network', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nendpoints: [{labels: {app: a}}]`, path: 'spec.endpoints[0].address', severity: 'error', code: 'REQUIRED', message: 'address is required' },
  { name: 'rejects a relative unix socket path', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nendpoints: [{address: "unix://relative.sock"}]`, path: 'spec.endpoints[0].address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'must be an absolute path' },
  { name: 'rejects ports on a unix socket endpoint', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nendpoints: [{address: "unix://@app", ports: {http: 80}}]`, path: 'spec.endpoints[0].ports', severity: 'error', code: 'WE_UNIX_WITH_PORTS', message: 'must not list ports' },
  { name: 'rejects a unix socket endpoint when several ports are declared', spec: `hosts: [a.com]\nresolution: STATIC\nports: [{number: 80, name: http}, {number: 81, name: admin}]\nendpoints: [{address: "unix:///run/app.sock"}]`, path: 'spec.endpoints[0].address', severity: 'error', code: 'SE_UNIX_ENDPOINT_PORTS', message: 'exactly one service port' },
  { name: 'rejects a wildcard host with DNS resolution and no endpoints', spec: `hosts: ["*.bar.com"]\nresolution: DNS\n${HTTP_PORT}`, path: 'spec.hosts[0]', severity: 'error', code: 'SE_DNS_HOST_NOT_FQDN', message: 'must be a full host name' },
  { name: 'rejects several endpoints with DNS_ROUND_ROBIN', spec: `hosts: [a.com]\nresolution: DNS_ROUND_ROBIN\n${HTTP_PORT}\nendpoints: [{address: sub1.a.com}, {address: sub2.a.com}]`, path: 'spec.endpoints', severity: 'error', code: 'SE_DNS_ROUND_ROBIN_ENDPOINTS', message: 'at most one endpoint' },
  { name: 'rejects a DNS endpoint that is neither IP nor host name', spec: `hosts: [a.com]\nresolution: DNS\n${HTTP_PORT}\nendpoints: [{address: "bad_host!"}]`, path: 'spec.endpoints[0].address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'neither an IP address nor a valid host name' },
  { name: 'rejects endpoints together with a workload selector', spec: `hosts: [a.com]\nresolution: STATIC\n${HTTP_PORT}\nworkloadSelector: {labels: {app: a}}\nendpoints: [{address: 1.2.3.4}]`, path: 'spec.endpoints', severity: 'error', code: 'SE_ENDPOINTS_WITH_SELECTOR', message: 'either endpoints or workloadSelector' },
  { name: 'rejects a wildcard in a workload selector', spec: `hosts: [example.com]\nworkloadSelector: {labels: {val: "*"}}`, path: 'spec.workloadSelector.labels.val', severity: 'error', code: 'SELECTOR_INVALID', message: 'wildcard "*" is not supported' },
  { name: 'warns that a workload selector does nothing with resolution NONE', spec: `hosts: [a.com]\nresolution: NONE\n${HTTP_PORT}\nworkloadSelector: {labels: {app: a}}`, path: 'spec.workloadSelector', severity: 'warning', code: 'SE_SELECTOR_IGNORED', message: 'no effect with resolution NONE' },
  { name: 'warns that DYNAMIC_DNS ignores endpoints', spec: `hosts: ["*.a.com"]\nresolution: DYNAMIC_DNS\n${HTTP_PORT}\nendpoints: [{address: 1.2.3.4}]`, path: 'spec.endpoints', severity: 'warning', code: 'SE_DYNAMIC_DNS_ENDPOINTS', message: 'ignored' },

  // exportTo
  { name: 'rejects "~" together with a namespace', spec: `hosts: [a.com]\nexportTo: ["~", prod]`, path: 'spec.exportTo', severity: 'error', code: 'EXPORT_TO_NONE_MIXED', message: 'cannot be combined' },
  { name: 'rejects an exportTo entry that is not a namespace name', spec: `hosts: [a.com]\nexportTo: [Prod_NS]`, path: 'spec.exportTo[0]', severity: 'error', code: 'EXPORT_TO_INVALID', message: 'is invalid' },
]

const valid: Array<{ name: string; spec: string }> = [
  { name: 'the full example of Istio\'s CRD tests', spec: `hosts: ["example.com"]\nworkloadSelector: {labels: {foo: bar}}\naddresses: [1.2.3.4, "001:db8::"]\nexportTo: [foo, .]\nlocation: MESH_EXTERNAL\nports: [{name: foo, protocol: HTTP, number: 1234, targetPort: 2345}]\nsubjectAltNames: [sa]\nresolution: DNS` },
  { name: 'the same example with the IPv6 address unquoted, as Istio\'s valid testdata writes it', spec: `hosts: ["example.com"]\nworkloadSelector: {labels: {foo: bar}}\naddresses: [1.2.3.4, 001:db8::]\nexportTo: [foo, .]\nlocation: MESH_EXTERNAL\nports: [{name: foo, protocol: HTTP, number: 1234, targetPort: 2345}]\nsubjectAltNames: [sa]\nresolution: DNS` },
  { name: 'DNS resolution with a host name endpoint', spec: `hosts: ["example.com"]\nendpoints: [{address: "sub.example.com"}]\nports: [{name: foo, protocol: HTTP, number: 1234, targetPort: 2345}]\nresolution: DNS` },
  { name: 'an empty workload selector (with a warning only)', spec: `hosts: ["example.com"]\nworkloadSelector: {}` },
  { name: 'a NONE entry with a /32 CIDR', spec: `hosts: ["example.com"]\naddresses: [1.1.1.1/32]` },
  { name: 'STATIC endpoints with ports, labels, locality and weight', spec: `hosts: [db.internal]\nlocation: MESH_INTERNAL\nresolution: STATIC\nports: [{number: 5432, name: pg, protocol: tcp}]\nendpoints:\n- {address: 10.0.0.1, ports: {pg: 15432}, labels: {version: v1}, locality: us-east/zone1, weight: 2}\n- {address: "2001:db8::1", network: net2}` },
  { name: 'a unix socket endpoint with one port', spec: `hosts: [local.app]\nresolution: STATIC\nports: [{number: 80, name: http, protocol: HTTP}]\nendpoints: [{address: "unix:///run/app.sock"}]` },
  { name: 'several hosts on an HTTPS port with DNS resolution', spec: `hosts: [a.com, b.com]\nresolution: DNS\nports: [{number: 443, name: https, protocol: HTTPS}]` },
  { name: 'a wildcard host with DYNAMIC_DNS', spec: `hosts: ["*.svc.example.com"]\nresolution: DYNAMIC_DNS\nports: [{number: 80, name: http, protocol: HTTP}]` },
  { name: 'exportTo "~" alone', spec: `hosts: [a.com]\nexportTo: ["~"]` },
]

describe('ServiceEntry validation', () => {
  it.each(findings)('$name', ({ spec, path, severity, code, message }) => {
    const diagnostics = validate(spec)
    expect(findingsAt(diagnostics, path), describeFindings(diagnostics)).toContainEqual(
      expect.objectContaining({ severity, code, message: expect.stringContaining(message) }),
    )
  })

  it.each(valid)('accepts $name', ({ spec }) => {
    const diagnostics = validate(spec)
    expect(errorsOf(diagnostics), describeFindings(diagnostics)).toEqual([])
  })

  it('draws no finding for a workload selector with DNS resolution, which selects WorkloadEntries as in Istio', () => {
    for (const resolution of ['DNS', 'DNS_ROUND_ROBIN']) {
      expect(validate(`hosts: [a.com]\nresolution: ${resolution}\n${HTTP_PORT}\nworkloadSelector: {labels: {app: a}}`)).toEqual([])
    }
  })

  it('reports every independent problem of one entry at once, each at its line and column', () => {
    const diagnostics = validate(`
      hosts: ["*"]
      addresses: [not-an-ip]
      ports:
      - {number: 0, name: http}
      resolution: NONE
      endpoints: [{address: 1.2.3.4}]
    `)
    expect(errorsOf(diagnostics).map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
      `SE_HOST_WILDCARD_ALL ${SPEC_LINE_OFFSET + 1}:${SPEC_COLUMN_OFFSET + 9}`,
      `SE_ADDRESS_INVALID ${SPEC_LINE_OFFSET + 2}:${SPEC_COLUMN_OFFSET + 13}`,
      `RANGE ${SPEC_LINE_OFFSET + 4}:${SPEC_COLUMN_OFFSET + 12}`,
      `SE_ENDPOINTS_WITH_NONE ${SPEC_LINE_OFFSET + 6}:${SPEC_COLUMN_OFFSET + 12}`,
    ])
  })
})
