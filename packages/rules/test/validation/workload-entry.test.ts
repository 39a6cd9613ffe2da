import { describe, expect, it } from 'vitest'
import { describeFindings, errorsOf, findingsAt, SPEC_COLUMN_OFFSET, SPEC_LINE_OFFSET, validateYaml } from './helpers.js'

const validate = (spec: string) => validateYaml(spec, 'WorkloadEntry')

interface Finding {
  readonly name: string
  readonly spec: string
  readonly path: string
  readonly severity: 'error' | 'warning'
  readonly code: string
  readonly message: string
}

const findings: Finding[] = [
  { name: 'requires an address when no network is given', spec: `labels: {app: a}`, path: 'spec.address', severity: 'error', code: 'REQUIRED', message: 'address is required' },
  { name: 'warns when the address is left out for a network', spec: `network: vpc-2`, path: 'spec.address', severity: 'warning', code: 'WE_ADDRESS_UNSET', message: 'unset with network "vpc-2"' },
  { name: 'rejects a unix socket path that names a directory', spec: `address: unix:///dir/`, path: 'spec.address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'names a directory' },
  { name: 'rejects a relative unix socket path', spec: `address: unix://relative`, path: 'spec.address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'absolute path' },
  { name: 'rejects ports on a unix socket', spec: `address: unix://@foo\nports: {http: 80}`, path: 'spec.ports', severity: 'error', code: 'WE_UNIX_WITH_PORTS', message: 'must not list ports' },
  { name: 'rejects a port above 65535', spec: `address: 1.1.1.1\nports: {http: 99999}`, path: 'spec.ports.http', severity: 'error', code: 'RANGE', message: 'range 1..65535' },
  { name: 'rejects a port name that is not a DNS-1123 label', spec: `address: 1.1.1.1\nports: {"@": 80}`, path: 'spec.ports["@"]', severity: 'error', code: 'PORT_NAME_INVALID', message: 'invalid port name' },
  { name: 'rejects an address that is neither IP nor host name', spec: `address: "not a host"`, path: 'spec.address', severity: 'error', code: 'WE_ADDRESS_INVALID', message: 'neither an IP address nor a valid host name' },
  { name: 'rejects a negative weight', spec: `address: 1.1.1.1\nweight: -1`, path: 'spec.weight', severity: 'error', code: 'RANGE', message: '0..4294967295' },
  { name: 'rejects a label value that is too long', spec: `address: 1.1.1.1\nlabels: {version: ${'v'.repeat(64)}}`, path: 'spec.labels.version', severity: 'error', code: 'LABEL_INVALID', message: '63 characters or fewer' },
  { name: 'rejects a service account longer than 253 characters', spec: `address: 1.1.1.1\nserviceAccount: ${'a'.repeat(254)}`, path: 'spec.serviceAccount', severity: 'error', code: 'RANGE', message: 'at most 253 characters' },
  { name: 'rejects a locality that is not a string', spec: `address: 1.1.1.1\nlocality: {region: us}`, path: 'spec.locality', severity: 'error', code: 'TYPE', message: 'must be a string' },
  { name: 'rejects an unknown field with a suggestion', spec: `address: 1.1.1.1\nlabel: {app: a}`, path: 'spec.label', severity: 'error', code: 'UNKNOWN_FIELD', message: 'did you mean "labels"' },
]

const valid: Array<{ name: string; spec: string }> = [
  { name: 'an IP workload with every field', spec: `address: 10.1.2.3\nports: {http: 8080, grpc: 9090}\nlabels: {app: ratings, version: v1}\nnetwork: vpc-1\nlocality: us-east1/us-east1-b/rack1\nweight: 3\nserviceAccount: ratings` },
  { name: 'a host name address', spec: `address: vm-17.internal.example.com` },
  { name: 'an IPv6 address', spec: `address: "2001:db8::10"` },
  { name: 'an abstract unix socket', spec: `address: unix://@envoy-admin` },
  { name: 'a network without address', spec: `network: vpc-2\nlabels: {app: a}` },
]

describe('WorkloadEntry validation', () => {
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

  it('reports a bad address and a bad port together, each at its position', () => {
    const diagnostics = validate(`
      address: unix://relative
      ports:
        http: 0
    `)
    expect(errorsOf(diagnostics).map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
      `WE_ADDRESS_INVALID ${SPEC_LINE_OFFSET + 1}:${SPEC_COLUMN_OFFSET + 10}`,
      `WE_UNIX_WITH_PORTS ${SPEC_LINE_OFFSET + 3}:${SPEC_COLUMN_OFFSET + 3}`,
      `RANGE ${SPEC_LINE_OFFSET + 3}:${SPEC_COLUMN_OFFSET + 9}`,
    ])
  })
})
