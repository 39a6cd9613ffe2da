import { describe, expect, it } from 'vitest'
import type { IstioKind } from '@meshlet/rules'
import { describeFindings, errorsOf, findingsAt, validateYaml } from './helpers.js'

/** A resource of `kind` with the given annotation lines (already indented by four spaces). */
function withAnnotations(annotations: string, kind: IstioKind = 'DestinationRule'): string {
  const spec = {
    DestinationRule: 'host: reviews',
    VirtualService: 'hosts: [reviews]\n  http: [{route: [{destination: {host: reviews}}]}]',
    ServiceEntry: 'hosts: [api.example.com]',
    WorkloadEntry: 'address: 10.0.0.1',
    Gateway: 'servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]',
  }[kind]
  return `apiVersion: networking.istio.io/v1
kind: ${kind}
metadata:
  name: reviews
  namespace: default
  annotations:
${annotations}
spec:
  ${spec}
`
}

interface Finding {
  readonly name: string
  readonly annotations: string
  readonly kind?: IstioKind
  readonly path: string
  readonly severity: 'error' | 'warning'
  readonly code: string
  readonly message: string
}

const at = (key: string) => `metadata.annotations["meshlet.io/${key}"]`

const findings: Finding[] = [
  { name: 'rejects an unknown meshlet.io key and suggests the nearest one', annotations: '    meshlet.io/load-balancr: PEAK_EWMA', path: at('load-balancr'), severity: 'error', code: 'ANNOTATION_UNKNOWN', message: 'did you mean "meshlet.io/load-balancer"' },
  { name: 'rejects an unknown meshlet.io key on any kind', annotations: '    meshlet.io/hedge: "on"', kind: 'VirtualService', path: at('hedge'), severity: 'error', code: 'ANNOTATION_UNKNOWN', message: 'meshlet reads meshlet.io/load-balancer' },
  { name: 'rejects an annotation value that is not a string', annotations: '    meshlet.io/circuit-breaker:\n      volumeThreshold: 5', path: at('circuit-breaker'), severity: 'error', code: 'ANNOTATION_NOT_STRING', message: 'block scalar' },
  { name: 'rejects an unknown load balancer name', annotations: '    meshlet.io/load-balancer: FASTEST', path: at('load-balancer'), severity: 'error', code: 'ENUM', message: 'PEAK_EWMA' },
  { name: 'rejects LEAST_CONN as a load balancer name', annotations: '    meshlet.io/load-balancer: LEAST_CONN', path: at('load-balancer'), severity: 'error', code: 'ENUM', message: 'write LEAST_REQUEST' },
  { name: 'rejects a value that is not valid YAML', annotations: "    meshlet.io/circuit-breaker: '{volumeThreshold: 5'", path: at('circuit-breaker'), severity: 'error', code: 'ANNOTATION_SYNTAX', message: 'not valid YAML or JSON' },
  { name: 'rejects an empty value', annotations: "    meshlet.io/circuit-breaker: ''", path: at('circuit-breaker'), severity: 'error', code: 'ANNOTATION_SYNTAX', message: 'value is empty' },
  { name: 'rejects a circuit breaker threshold above 100', annotations: "    meshlet.io/circuit-breaker: '{errorThresholdPercentage: 150}'", path: at('circuit-breaker'), severity: 'error', code: 'RANGE', message: 'errorThresholdPercentage: must be in range 0..100' },
  { name: 'rejects a circuit breaker reset timeout without unit', annotations: "    meshlet.io/circuit-breaker: '{resetTimeout: \"30\"}'", path: at('circuit-breaker'), severity: 'error', code: 'DURATION', message: 'resetTimeout: invalid duration' },
  { name: 'rejects a misspelt circuit breaker knob', annotations: "    meshlet.io/circuit-breaker: '{volumeTreshold: 5}'", path: at('circuit-breaker'), severity: 'error', code: 'UNKNOWN_FIELD', message: 'did you mean "volumeThreshold"' },
  { name: 'rejects zero half-open trial requests', annotations: "    meshlet.io/circuit-breaker: '{halfOpenMaxRequests: 0}'", path: at('circuit-breaker'), severity: 'error', code: 'RANGE', message: 'halfOpenMaxRequests' },
  { name: 'rejects more buckets than milliseconds in the window', annotations: "    meshlet.io/circuit-breaker: '{rollingCountTimeout: 5ms, rollingCountBuckets: 10}'", path: at('circuit-breaker'), severity: 'error', code: 'RANGE', message: 'shorter than 1ms each' },
  { name: 'requires at least one ejection kind in outlier detection', annotations: "    meshlet.io/outlier-detection: '{interval: 5s}'", path: at('outlier-detection'), severity: 'error', code: 'REQUIRED', message: 'set successRate, failurePercentage or both' },
  { name: 'rejects a failure percentage threshold above 100', annotations: '    meshlet.io/outlier-detection: |\n      failurePercentage: {threshold: 101}', path: at('outlier-detection'), severity: 'error', code: 'PERCENT', message: 'failurePercentage.threshold' },
  { name: 'rejects a negative success rate minimum host count', annotations: '    meshlet.io/outlier-detection: |\n      successRate:\n        minimumHosts: -1', path: at('outlier-detection'), severity: 'error', code: 'RANGE', message: 'successRate.minimumHosts' },
  { name: 'rejects an outlier interval in days', annotations: "    meshlet.io/outlier-detection: '{interval: 1d, successRate: {}}'", path: at('outlier-detection'), severity: 'error', code: 'DURATION', message: 'interval: unknown unit "d"' },
  { name: 'rejects a peak EWMA decay below 1ms', annotations: "    meshlet.io/load-balancer: PEAK_EWMA\n    meshlet.io/peak-ewma: '{decay: 0s}'", path: at('peak-ewma'), severity: 'error', code: 'DURATION', message: 'decay: duration must be greater than 1ms' },
  { name: 'warns that peak EWMA tuning needs the PEAK_EWMA balancer', annotations: "    meshlet.io/peak-ewma: '{decay: 5s}'", path: at('peak-ewma'), severity: 'warning', code: 'ANNOTATION_NO_EFFECT', message: 'add meshlet.io/load-balancer: PEAK_EWMA' },
  { name: 'warns that a DestinationRule annotation means nothing on a VirtualService', annotations: '    meshlet.io/load-balancer: PEAK_EWMA', kind: 'VirtualService', path: at('load-balancer'), severity: 'warning', code: 'ANNOTATION_NO_EFFECT', message: 'no effect on a VirtualService' },
  { name: 'warns that a DestinationRule annotation means nothing on a ServiceEntry', annotations: "    meshlet.io/circuit-breaker: '{}'", kind: 'ServiceEntry', path: at('circuit-breaker'), severity: 'warning', code: 'ANNOTATION_NO_EFFECT', message: 'put it on the DestinationRule' },
]

const valid: Array<{ name: string; annotations: string }> = [
  { name: 'PEAK_EWMA with its decay', annotations: "    meshlet.io/load-balancer: PEAK_EWMA\n    meshlet.io/peak-ewma: '{decay: 5s}'" },
  { name: 'one of Istio\'s simple names', annotations: '    meshlet.io/load-balancer: ROUND_ROBIN' },
  { name: 'both ratio-based ejections written as YAML', annotations: '    meshlet.io/outlier-detection: |\n      interval: 5s\n      successRate: {minimumHosts: 3, stdevFactor: 1500}\n      failurePercentage:' },
  { name: 'a circuit breaker written as JSON', annotations: '    meshlet.io/circuit-breaker: \'{"errorThresholdPercentage": 25, "volumeThreshold": 20, "resetTimeout": "10s", "rollingCountTimeout": "1m", "rollingCountBuckets": 6, "halfOpenMaxRequests": 2}\'' },
  { name: 'annotations of other tools', annotations: '    kubectl.kubernetes.io/last-applied-configuration: "{}"\n    sidecar.istio.io/inject: "false"' },
]

describe('meshlet.io annotation validation', () => {
  it.each(findings)('$name', ({ annotations, kind, path, severity, code, message }) => {
    const diagnostics = validateYaml(withAnnotations(annotations, kind))
    expect(findingsAt(diagnostics, path), describeFindings(diagnostics)).toContainEqual(
      expect.objectContaining({ severity, code, message: expect.stringContaining(message) }),
    )
  })

  it.each(valid)('accepts $name', ({ annotations }) => {
    const diagnostics = validateYaml(withAnnotations(annotations))
    expect(diagnostics.filter((d) => d.severity !== 'info'), describeFindings(diagnostics)).toEqual([])
  })

  it('only warns, and does not check the value, on a kind where the annotation means nothing', () => {
    const diagnostics = validateYaml(withAnnotations("    meshlet.io/circuit-breaker: '{errorThresholdPercentage: 500}'", 'WorkloadEntry'))
    expect(errorsOf(diagnostics), describeFindings(diagnostics)).toEqual([])
    expect(findingsAt(diagnostics, at('circuit-breaker'))).toHaveLength(1)
  })

  it('reports each problem inside one value, located at the annotation line', () => {
    const diagnostics = validateYaml(withAnnotations('    meshlet.io/circuit-breaker: |\n      errorThresholdPercentage: -1\n      resetTimeout: soon\n      bogus: true'))
    const found = findingsAt(diagnostics, at('circuit-breaker'))
    expect(found.map((d) => d.message.split(':')[0])).toEqual(['bogus', 'errorThresholdPercentage', 'resetTimeout'])
    expect(found.map((d) => `${d.line}:${d.column}`)).toEqual(['7:33', '7:33', '7:33'])
  })
})
