import { describe, expect, it } from 'vitest'
import { MeshMetrics } from '../metrics/mesh-metrics.js'
import { NO_RESPONSE_FLAGS, responseFlagSet } from '../metrics/response-flags.js'
import { escapeLabelValue, formatSampleValue } from './escape.js'
import { formatPrometheus } from './format.js'

describe('Prometheus text format', () => {
  it('writes HELP and TYPE, then samples sorted by labels', () => {
    const text = formatPrometheus([
      {
        type: 'counter',
        name: 'demo_total',
        help: 'Demo.',
        unit: '1',
        samples: [
          { labels: [['k', 'b']], value: 2 },
          { labels: [['k', 'a']], value: 1 },
        ],
      },
      { type: 'gauge', name: 'unused', help: 'Never set.', unit: '1', samples: [] },
    ])
    expect(text).toBe('# HELP demo_total Demo.\n# TYPE demo_total counter\ndemo_total{k="a"} 1\ndemo_total{k="b"} 2\n')
  })

  it('writes a histogram as cumulative buckets ending with +Inf, then _sum and _count', () => {
    const text = formatPrometheus([
      {
        type: 'histogram',
        name: 'latency_ms',
        help: 'Latency.',
        unit: 'ms',
        samples: [{ labels: [['route', 'r1']], bounds: [0.5, 10], cumulativeCounts: [1, 3, 4], sum: 20.25, count: 4 }],
      },
    ])
    expect(text.split('\n')).toEqual([
      '# HELP latency_ms Latency.',
      '# TYPE latency_ms histogram',
      'latency_ms_bucket{route="r1",le="0.5"} 1',
      'latency_ms_bucket{route="r1",le="10"} 3',
      'latency_ms_bucket{route="r1",le="+Inf"} 4',
      'latency_ms_sum{route="r1"} 20.25',
      'latency_ms_count{route="r1"} 4',
      '',
    ])
  })

  it('escapes backslashes, double quotes and line feeds in label values, and newlines in help', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd')
    const text = formatPrometheus([{ type: 'gauge', name: 'g', help: 'two\nlines \\ here', unit: '1', samples: [{ labels: [['path', '/x"y']], value: 1 }] }])
    expect(text).toContain('# HELP g two\\nlines \\\\ here\n')
    expect(text).toContain('g{path="/x\\"y"} 1\n')
  })

  it('spells infinities and NaN as Prometheus does', () => {
    expect([Infinity, -Infinity, NaN, 1.5, 3].map(formatSampleValue)).toEqual(['+Inf', '-Inf', 'NaN', '1.5', '3'])
  })

  it("writes a mesh's request metrics with Istio's names and every label", () => {
    const metrics = new MeshMetrics({ identity: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } } })
    const reviews = metrics.requests.destination({ service: 'reviews.default.svc.cluster.local', endpointLabels: { app: 'reviews', version: 'v2' } })
    reviews.record('http', 200, undefined, NO_RESPONSE_FLAGS, 3, 0, 120)
    reviews.record('http', 503, undefined, responseFlagSet('UF', 'URX'), 40, 0, 91)
    const text = formatPrometheus(metrics.families())
    expect(text).toContain('# TYPE istio_requests_total counter\n')
    expect(text).toContain('# TYPE istio_request_duration_milliseconds histogram\n')
    expect(text).toContain('# TYPE istio_request_bytes histogram\n')
    expect(text).toContain('# TYPE istio_response_bytes histogram\n')
    const requests = text.split('\n').filter((line) => line.startsWith('istio_requests_total{'))
    expect(requests).toEqual([
      'istio_requests_total{reporter="source",source_workload="productpage-v1",source_canonical_service="productpage",source_canonical_revision="v1",source_workload_namespace="default",source_principal="unknown",source_app="productpage",source_version="v1",source_cluster="unknown",destination_workload="unknown",destination_workload_namespace="default",destination_principal="unknown",destination_app="reviews",destination_version="v2",destination_service="reviews.default.svc.cluster.local",destination_canonical_service="reviews",destination_canonical_revision="v2",destination_service_name="reviews",destination_service_namespace="default",destination_cluster="unknown",request_protocol="http",response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="unknown"} 1',
      'istio_requests_total{reporter="source",source_workload="productpage-v1",source_canonical_service="productpage",source_canonical_revision="v1",source_workload_namespace="default",source_principal="unknown",source_app="productpage",source_version="v1",source_cluster="unknown",destination_workload="unknown",destination_workload_namespace="default",destination_principal="unknown",destination_app="reviews",destination_version="v2",destination_service="reviews.default.svc.cluster.local",destination_canonical_service="reviews",destination_canonical_revision="v2",destination_service_name="reviews",destination_service_namespace="default",destination_cluster="unknown",request_protocol="http",response_code="503",grpc_response_status="",response_flags="UF,URX",connection_security_policy="unknown"} 1',
    ])
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{[^}]*response_code="503"[^}]*,le="25"\} 0\n/)
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{[^}]*response_code="503"[^}]*,le="50"\} 1\n/)
    expect(text).toMatch(/istio_response_bytes_sum\{[^}]*response_code="200"[^}]*\} 120\n/)
  })

  it('lists the same series in the same order on every scrape, whatever order they were made in', () => {
    const build = (codes: number[]) => {
      const metrics = new MeshMetrics()
      const handle = metrics.requests.destination({ service: 'a.default.svc.cluster.local' })
      for (const code of codes) handle.record('http', code, undefined, NO_RESPONSE_FLAGS, 1, 0, 0)
      return formatPrometheus(metrics.families())
    }
    expect(build([503, 200, 404])).toBe(build([200, 404, 503]))
  })
})
