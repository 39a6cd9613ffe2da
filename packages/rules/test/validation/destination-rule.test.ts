import { describe, expect, it } from 'vitest'
import { describeFindings, errorsOf, findingsAt, SPEC_COLUMN_OFFSET, SPEC_LINE_OFFSET, validateYaml } from './helpers.js'

const validate = (spec: string) => validateYaml(spec, 'DestinationRule')

interface Finding {
  /** The test's sentence. */
  readonly name: string
  readonly spec: string
  /** Formatted path the finding is reported at. */
  readonly path: string
  readonly severity: 'error' | 'warning'
  readonly code: string
  /** A part of the message. */
  readonly message: string
}

const findings: Finding[] = [
  // host
  { name: 'requires a host', spec: `subsets: [{name: v1}]`, path: 'spec.host', severity: 'error', code: 'REQUIRED', message: 'host is required' },
  { name: 'rejects an IP address as host', spec: `host: 10.0.0.1`, path: 'spec.host', severity: 'error', code: 'DR_HOST_INVALID', message: 'is an IP address' },
  { name: 'rejects a wildcard that is not in the first label', spec: `host: foo.*.com`, path: 'spec.host', severity: 'error', code: 'DR_HOST_INVALID', message: 'wildcard is only allowed in the first label' },
  { name: 'rejects a host label with an underscore', spec: `host: my_service`, path: 'spec.host', severity: 'error', code: 'DR_HOST_INVALID', message: 'invalid' },
  { name: 'rejects an unknown top-level field with a suggestion', spec: `host: a\nsubset: []`, path: 'spec.subset', severity: 'error', code: 'UNKNOWN_FIELD', message: 'did you mean "subsets"' },

  // subsets
  { name: 'requires a subset name', spec: `host: a\nsubsets: [{labels: {version: v1}}]`, path: 'spec.subsets[0].name', severity: 'error', code: 'REQUIRED', message: 'subset name is required' },
  { name: 'rejects a subset name that is not a DNS-1123 label', spec: `host: a\nsubsets: [{name: v1.2}]`, path: 'spec.subsets[0].name', severity: 'error', code: 'DR_SUBSET_NAME_INVALID', message: 'not a valid DNS-1123 label' },
  { name: 'rejects a duplicate subset name at the second one', spec: `host: a\nsubsets: [{name: v1}, {name: v1}]`, path: 'spec.subsets[1].name', severity: 'error', code: 'DR_SUBSET_DUPLICATE', message: 'also subsets[0]' },
  { name: 'rejects a subset label value with a space', spec: `host: a\nsubsets: [{name: v1, labels: {version: "v 1"}}]`, path: 'spec.subsets[0].labels.version', severity: 'error', code: 'LABEL_INVALID', message: 'invalid label value' },
  { name: 'rejects a subset label key with a bad prefix', spec: `host: a\nsubsets: [{name: v1, labels: {"Bad_Prefix/app": x}}]`, path: 'spec.subsets[0].labels["Bad_Prefix/app"]', severity: 'error', code: 'LABEL_INVALID', message: 'prefix must be a DNS-1123 subdomain' },
  { name: 'rejects an empty subset traffic policy', spec: `host: a\nsubsets: [{name: v1, trafficPolicy: {}}]`, path: 'spec.subsets[0].trafficPolicy', severity: 'error', code: 'DR_TRAFFIC_POLICY_EMPTY', message: 'sets nothing' },

  // workloadSelector and exportTo
  { name: 'rejects a wildcard in a workload selector value', spec: `host: a\nworkloadSelector: {matchLabels: {app: "*"}}`, path: 'spec.workloadSelector.matchLabels.app', severity: 'error', code: 'SELECTOR_INVALID', message: 'wildcard "*" is not supported' },
  { name: 'warns about a workload selector without labels', spec: `host: a\nworkloadSelector: {}\ntrafficPolicy: {tls: {mode: SIMPLE}}`, path: 'spec.workloadSelector.matchLabels', severity: 'warning', code: 'SELECTOR_WITHOUT_LABELS', message: 'selects every workload' },
  { name: 'rejects exportTo beyond the namespace with a workload selector', spec: `host: a\nworkloadSelector: {matchLabels: {app: x}}\nexportTo: ["*"]`, path: 'spec.exportTo', severity: 'error', code: 'EXPORT_TO_SELECTOR', message: 'cannot be exported beyond its own namespace' },
  { name: 'rejects "." next to the namespace it stands for', spec: `host: a\nexportTo: [".", default]`, path: 'spec.exportTo[1]', severity: 'error', code: 'EXPORT_TO_DUPLICATE', message: '"." is the current namespace default' },
  { name: 'rejects "~" in a DestinationRule exportTo', spec: `host: a\nexportTo: ["~"]`, path: 'spec.exportTo[0]', severity: 'error', code: 'EXPORT_TO_INVALID', message: 'only allowed on a ServiceEntry' },
  { name: 'rejects "*" mixed with namespaces', spec: `host: a\nexportTo: ["*", prod]`, path: 'spec.exportTo', severity: 'error', code: 'EXPORT_TO_PUBLIC_MIXED', message: 'already means every namespace' },

  // trafficPolicy
  { name: 'rejects an empty traffic policy', spec: `host: a\ntrafficPolicy: {}`, path: 'spec.trafficPolicy', severity: 'error', code: 'DR_TRAFFIC_POLICY_EMPTY', message: 'set at least one of loadBalancer' },
  { name: 'counts an empty portLevelSettings list as nothing', spec: `host: a\ntrafficPolicy: {portLevelSettings: []}`, path: 'spec.trafficPolicy', severity: 'error', code: 'DR_TRAFFIC_POLICY_EMPTY', message: 'sets nothing' },
  { name: 'rejects tunnel together with proxyProtocol', spec: `host: a\ntrafficPolicy:\n  tunnel: {targetHost: b.com, targetPort: 443}\n  proxyProtocol: {version: V2}`, path: 'spec.trafficPolicy.proxyProtocol', severity: 'error', code: 'DR_TUNNEL_WITH_PROXY_PROTOCOL', message: 'cannot be set together' },
  { name: 'rejects an unknown tunnel protocol', spec: `host: a\ntrafficPolicy: {tunnel: {protocol: GET, targetHost: b.com, targetPort: 443}}`, path: 'spec.trafficPolicy.tunnel.protocol', severity: 'error', code: 'ENUM', message: '"CONNECT" or "POST"' },
  { name: 'requires a tunnel target port', spec: `host: a\ntrafficPolicy: {tunnel: {targetHost: b.com}}`, path: 'spec.trafficPolicy.tunnel.targetPort', severity: 'error', code: 'REQUIRED', message: 'targetPort is required' },
  { name: 'rejects an unknown proxy protocol version', spec: `host: a\ntrafficPolicy: {proxyProtocol: {version: V3}}`, path: 'spec.trafficPolicy.proxyProtocol.version', severity: 'error', code: 'ENUM', message: 'V1, V2' },

  // loadBalancer
  { name: 'rejects an unknown simple algorithm', spec: `host: a\ntrafficPolicy: {loadBalancer: {simple: FASTEST}}`, path: 'spec.trafficPolicy.loadBalancer.simple', severity: 'error', code: 'ENUM', message: 'is not one of' },
  { name: 'warns that LEAST_CONN is deprecated', spec: `host: a\ntrafficPolicy: {loadBalancer: {simple: LEAST_CONN}}`, path: 'spec.trafficPolicy.loadBalancer.simple', severity: 'warning', code: 'DR_LB_DEPRECATED', message: 'use LEAST_REQUEST' },
  { name: 'rejects simple together with consistentHash', spec: `host: a\ntrafficPolicy: {loadBalancer: {simple: RANDOM, consistentHash: {useSourceIp: true}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash', severity: 'error', code: 'DR_LB_ONEOF', message: 'either simple or consistentHash' },
  { name: 'rejects two consistent hash keys', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user, httpQueryParameterName: user}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpQueryParameterName', severity: 'error', code: 'DR_HASH_KEY_ONEOF', message: 'httpHeaderName and httpQueryParameterName' },
  { name: 'requires an httpCookie name', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {ttl: 0s}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name', severity: 'error', code: 'REQUIRED', message: 'httpCookie.name is required' },
  { name: 'rejects a cookie ttl that is not a duration', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: u, ttl: 1d}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl', severity: 'error', code: 'DURATION', message: 'unknown unit "d"' },
  { name: 'rejects a duplicate cookie attribute', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: u, attributes: [{name: SameSite, value: Lax}, {name: SameSite}]}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[1].name', severity: 'error', code: 'DR_COOKIE_ATTRIBUTE_DUPLICATE', message: 'listed twice' },
  { name: 'rejects ringHash together with maglev', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, ringHash: {}, maglev: {tableSize: 65537}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev', severity: 'error', code: 'DR_HASH_ALGORITHM_ONEOF', message: 'either ringHash or maglev' },
  { name: 'requires a maglev table size', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev: {}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', severity: 'error', code: 'DR_MAGLEV_TABLE_SIZE', message: 'must be set for maglev' },
  { name: 'rejects a maglev table size that is not prime', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 65536}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', severity: 'error', code: 'DR_MAGLEV_TABLE_SIZE', message: 'must be a prime number' },
  { name: 'rejects a maglev table size of 5000011 or more', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, maglev: {tableSize: 5000011}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize', severity: 'error', code: 'DR_MAGLEV_TABLE_SIZE', message: 'less than 5000011' },
  { name: 'warns that consistentHash.minimumRingSize is deprecated', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, minimumRingSize: 2048}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize', severity: 'warning', code: 'DR_MIN_RING_SIZE_DEPRECATED', message: 'deprecated' },
  { name: 'rejects the deprecated minimumRingSize next to ringHash', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, minimumRingSize: 2048, ringHash: {minimumRingSize: 1024}}}}`, path: 'spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize', severity: 'error', code: 'DR_MIN_RING_SIZE_CONFLICT', message: 'cannot be combined with ringHash' },
  { name: 'requires a warmup duration', spec: `host: a\ntrafficPolicy: {loadBalancer: {warmup: {minimumPercent: 5}}}`, path: 'spec.trafficPolicy.loadBalancer.warmup.duration', severity: 'error', code: 'REQUIRED', message: 'warmup.duration is required' },
  { name: 'rejects a warmup minimumPercent above 100', spec: `host: a\ntrafficPolicy: {loadBalancer: {warmup: {duration: 300s, minimumPercent: 150}}}`, path: 'spec.trafficPolicy.loadBalancer.warmup.minimumPercent', severity: 'error', code: 'RANGE', message: 'must be in range 0..100' },
  { name: 'rejects a warmup aggression below 1', spec: `host: a\ntrafficPolicy: {loadBalancer: {warmup: {duration: 300s, aggression: 0.3}}}`, path: 'spec.trafficPolicy.loadBalancer.warmup.aggression', severity: 'error', code: 'RANGE', message: 'at least 1' },
  { name: 'rejects warmup together with warmupDurationSecs', spec: `host: a\ntrafficPolicy: {loadBalancer: {warmupDurationSecs: 60s, warmup: {duration: 60s}}}`, path: 'spec.trafficPolicy.loadBalancer.warmupDurationSecs', severity: 'error', code: 'DR_WARMUP_ONEOF', message: 'set only warmup' },
  { name: 'rejects a zero warmupDurationSecs', spec: `host: a\ntrafficPolicy: {loadBalancer: {warmupDurationSecs: 0s}}`, path: 'spec.trafficPolicy.loadBalancer.warmupDurationSecs', severity: 'error', code: 'DURATION', message: 'greater than 1ms' },

  // localityLbSetting
  { name: 'rejects distribute weights that do not add up to 100', spec: `host: a\ntrafficPolicy:\n  loadBalancer:\n    localityLbSetting:\n      distribute: [{from: us-west/zone1/*, to: {"us-west/zone1/*": 80, "us-west/zone2/*": 10}}]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to', severity: 'error', code: 'DR_LOCALITY_WEIGHT_SUM', message: 'add up to 90' },
  { name: 'rejects a distribute weight of 0', spec: `host: a\ntrafficPolicy:\n  loadBalancer:\n    localityLbSetting:\n      distribute: [{from: us-west, to: {us-west: 100, us-east: 0}}]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to["us-east"]', severity: 'error', code: 'RANGE', message: 'range 1..100' },
  { name: 'rejects a wildcard in the middle of a locality', spec: `host: a\ntrafficPolicy:\n  loadBalancer:\n    localityLbSetting:\n      distribute: [{from: "us-west/*/a", to: {us-west: 100}}]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].from', severity: 'error', code: 'DR_LOCALITY_INVALID', message: 'only at the end' },
  { name: 'rejects overlapping destination localities', spec: `host: a\ntrafficPolicy:\n  loadBalancer:\n    localityLbSetting:\n      distribute: [{from: us-west, to: {us-east: 50, "us-east/zone1": 50}}]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to["us-east/zone1"]', severity: 'error', code: 'DR_LOCALITY_INVALID', message: 'overlaps one listed before it' },
  { name: 'rejects distribute together with failover', spec: `host: a\ntrafficPolicy:\n  outlierDetection: {consecutive5xxErrors: 5}\n  loadBalancer:\n    localityLbSetting:\n      distribute: [{from: us-west, to: {us-west: 100}}]\n      failover: [{from: us-west, to: us-east}]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover', severity: 'error', code: 'DR_LOCALITY_DISTRIBUTE_AND_FAILOVER', message: 'cannot be set together' },
  { name: 'rejects failover to the same region', spec: `host: a\ntrafficPolicy:\n  outlierDetection: {consecutive5xxErrors: 5}\n  loadBalancer: {localityLbSetting: {failover: [{from: us-east, to: us-east}]}}`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]', severity: 'error', code: 'DR_LOCALITY_FAILOVER_INVALID', message: 'two different regions' },
  { name: 'rejects a zone in failover', spec: `host: a\ntrafficPolicy:\n  outlierDetection: {consecutive5xxErrors: 5}\n  loadBalancer: {localityLbSetting: {failover: [{from: us-east/zone1, to: us-west}]}}`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0].from', severity: 'error', code: 'DR_LOCALITY_FAILOVER_INVALID', message: 'regions only' },
  { name: 'rejects a topology label in failoverPriority next to failover', spec: `host: a\ntrafficPolicy:\n  outlierDetection: {consecutive5xxErrors: 5}\n  loadBalancer:\n    localityLbSetting:\n      failover: [{from: us-east, to: us-west}]\n      failoverPriority: [topology.kubernetes.io/region]`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority[0]', severity: 'error', code: 'DR_LOCALITY_FAILOVER_PRIORITY', message: 'cannot use the topology label' },
  { name: 'warns that failover needs outlier detection', spec: `host: a\ntrafficPolicy: {loadBalancer: {localityLbSetting: {failoverPriority: [app]}}}`, path: 'spec.trafficPolicy.loadBalancer.localityLbSetting', severity: 'warning', code: 'DR_FAILOVER_WITHOUT_OUTLIER', message: 'add an outlierDetection block' },

  // connectionPool
  { name: 'rejects an empty connection pool', spec: `host: a\ntrafficPolicy: {connectionPool: {}}`, path: 'spec.trafficPolicy.connectionPool', severity: 'error', code: 'DR_CONNECTION_POOL_EMPTY', message: 'set tcp or http' },
  { name: 'rejects a negative maxConnections', spec: `host: a\ntrafficPolicy: {connectionPool: {tcp: {maxConnections: -1}}}`, path: 'spec.trafficPolicy.connectionPool.tcp.maxConnections', severity: 'error', code: 'RANGE', message: 'must be non-negative' },
  { name: 'rejects a fractional http1MaxPendingRequests', spec: `host: a\ntrafficPolicy: {connectionPool: {http: {http1MaxPendingRequests: 1.5}}}`, path: 'spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests', severity: 'error', code: 'TYPE', message: 'must be an integer' },
  { name: 'rejects a connect timeout below 1ms', spec: `host: a\ntrafficPolicy: {connectionPool: {tcp: {connectTimeout: 500us}}}`, path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', severity: 'error', code: 'DURATION', message: 'greater than 1ms' },
  { name: 'rejects an http idleTimeout of 0s', spec: `host: a\ntrafficPolicy: {connectionPool: {http: {idleTimeout: 0s}}}`, path: 'spec.trafficPolicy.connectionPool.http.idleTimeout', severity: 'error', code: 'DURATION', message: 'greater than 1ms' },
  { name: 'rejects UPGRADE together with useClientProtocol', spec: `host: a\ntrafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}}}`, path: 'spec.trafficPolicy.connectionPool.http.useClientProtocol', severity: 'error', code: 'DR_H2_UPGRADE_CONFLICT', message: 'h2UpgradePolicy is UPGRADE' },
  { name: 'requires both http2KeepAlive fields', spec: `host: a\ntrafficPolicy: {connectionPool: {http: {http2KeepAlive: {interval: 30s}}}}`, path: 'spec.trafficPolicy.connectionPool.http.http2KeepAlive.timeout', severity: 'error', code: 'REQUIRED', message: 'http2KeepAlive.timeout is required' },
  { name: 'rejects a misspelt connection pool field', spec: `host: a\ntrafficPolicy: {connectionPool: {http: {maxRequestPerConnection: 1}}}`, path: 'spec.trafficPolicy.connectionPool.http.maxRequestPerConnection', severity: 'error', code: 'UNKNOWN_FIELD', message: 'did you mean "maxRequestsPerConnection"' },

  // outlierDetection
  { name: 'rejects consecutiveLocalOriginFailures without split mode', spec: `host: a\ntrafficPolicy: {outlierDetection: {consecutiveLocalOriginFailures: 3}}`, path: 'spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures', severity: 'error', code: 'DR_OUTLIER_LOCAL_ORIGIN_WITHOUT_SPLIT', message: 'splitExternalLocalOriginErrors: true' },
  { name: 'warns that consecutiveErrors is deprecated', spec: `host: a\ntrafficPolicy: {outlierDetection: {consecutiveErrors: 7}}`, path: 'spec.trafficPolicy.outlierDetection.consecutiveErrors', severity: 'warning', code: 'DR_OUTLIER_CONSECUTIVE_ERRORS_DEPRECATED', message: 'use consecutive5xxErrors' },
  { name: 'rejects a maxEjectionPercent above 100', spec: `host: a\ntrafficPolicy: {outlierDetection: {maxEjectionPercent: 101}}`, path: 'spec.trafficPolicy.outlierDetection.maxEjectionPercent', severity: 'error', code: 'PERCENT', message: '0..100' },
  { name: 'rejects a negative consecutive5xxErrors', spec: `host: a\ntrafficPolicy: {outlierDetection: {consecutive5xxErrors: -2}}`, path: 'spec.trafficPolicy.outlierDetection.consecutive5xxErrors', severity: 'error', code: 'RANGE', message: '0..4294967295' },
  { name: 'rejects an error code outside 100..599', spec: `host: a\ntrafficPolicy: {outlierDetection: {outlierDetectionHttpErrorCodes: [503, 600]}}`, path: 'spec.trafficPolicy.outlierDetection.outlierDetectionHttpErrorCodes[1]', severity: 'error', code: 'RANGE', message: '100..599' },
  { name: 'rejects a bare number as interval', spec: `host: a\ntrafficPolicy: {outlierDetection: {interval: "10"}}`, path: 'spec.trafficPolicy.outlierDetection.interval', severity: 'error', code: 'DURATION', message: 'Go duration' },

  // tls
  { name: 'rejects an unknown TLS mode', spec: `host: a\ntrafficPolicy: {tls: {mode: STRICT}}`, path: 'spec.trafficPolicy.tls.mode', severity: 'error', code: 'ENUM', message: 'DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL' },
  { name: 'requires a client certificate for MUTUAL', spec: `host: a\ntrafficPolicy: {tls: {mode: MUTUAL, privateKey: /k.pem}}`, path: 'spec.trafficPolicy.tls.clientCertificate', severity: 'error', code: 'REQUIRED', message: 'required for MUTUAL TLS' },
  { name: 'rejects certificate files next to credentialName', spec: `host: a\ntrafficPolicy: {tls: {mode: SIMPLE, credentialName: cred, caCertificates: /ca.pem}}`, path: 'spec.trafficPolicy.tls.credentialName', severity: 'error', code: 'TLS_CREDENTIAL_CONFLICT', message: 'caCertificates must not be set' },
  { name: 'rejects subjectAltNames with insecureSkipVerify', spec: `host: a\ntrafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: true, subjectAltNames: [a.com]}}`, path: 'spec.trafficPolicy.tls.insecureSkipVerify', severity: 'error', code: 'TLS_SKIP_VERIFY_CONFLICT', message: 'subjectAltNames cannot be set' },

  // portLevelSettings
  { name: 'requires a port in a port-level policy', spec: `host: a\ntrafficPolicy: {portLevelSettings: [{loadBalancer: {simple: RANDOM}}]}`, path: 'spec.trafficPolicy.portLevelSettings[0].port', severity: 'error', code: 'REQUIRED', message: 'port is required' },
  { name: 'rejects a port-level port above 65535', spec: `host: a\ntrafficPolicy: {portLevelSettings: [{port: {number: 70000}, tls: {mode: SIMPLE}}]}`, path: 'spec.trafficPolicy.portLevelSettings[0].port.number', severity: 'error', code: 'RANGE', message: 'range 1..65535' },
  { name: 'rejects a port-level policy that sets nothing', spec: `host: a\ntrafficPolicy: {portLevelSettings: [{port: {number: 80}}]}`, path: 'spec.trafficPolicy.portLevelSettings[0]', severity: 'error', code: 'DR_PORT_POLICY_EMPTY', message: 'sets nothing' },
  { name: 'rejects two port-level policies for the same port', spec: `host: a\ntrafficPolicy:\n  portLevelSettings:\n  - {port: {number: 80}, tls: {mode: SIMPLE}}\n  - {port: {number: 80}, loadBalancer: {simple: RANDOM}}`, path: 'spec.trafficPolicy.portLevelSettings[1].port.number', severity: 'error', code: 'DR_PORT_DUPLICATE', message: 'portLevelSettings[0]' },
  { name: 'rejects a retry budget field in a port-level policy', spec: `host: a\ntrafficPolicy: {portLevelSettings: [{port: {number: 80}, retryBudget: {percent: 20}}]}`, path: 'spec.trafficPolicy.portLevelSettings[0].retryBudget', severity: 'error', code: 'UNKNOWN_FIELD', message: 'unknown field "retryBudget"' },

  // retryBudget
  { name: 'rejects a retry budget percent above 100', spec: `host: a\ntrafficPolicy: {retryBudget: {percent: 120}}`, path: 'spec.trafficPolicy.retryBudget.percent', severity: 'error', code: 'RANGE', message: '0..100' },
  { name: 'explains that the retry budget percent is a plain number', spec: `host: a\ntrafficPolicy: {retryBudget: {percent: {value: 20}}}`, path: 'spec.trafficPolicy.retryBudget.percent', severity: 'error', code: 'TYPE', message: 'not {value: 20}' },
]

const valid: Array<{ name: string; spec: string }> = [
  { name: 'a bookinfo rule with subsets and a subset policy', spec: `host: reviews\ntrafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}\nsubsets:\n- {name: v1, labels: {version: v1}}\n- name: v2\n  labels: {version: v2}\n  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}` },
  { name: 'a wildcard host and a full wildcard host', spec: `host: "*.example.com"\ntrafficPolicy: {tls: {mode: SIMPLE}}` },
  { name: 'uppercase letters in a subset name, as Istio does', spec: `host: a\nsubsets: [{name: V1}]` },
  { name: 'a session cookie with ttl 0s and attributes', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s, attributes: [{name: SameSite, value: Strict}, {name: Secure}]}}}}` },
  { name: 'maglev with a prime table size', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user, maglev: {tableSize: 65537}}}}` },
  { name: 'a ring hash with a minimum ring size', spec: `host: a\ntrafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, ringHash: {minimumRingSize: 1024}}}}` },
  { name: 'locality distribute weights that add up to 100 per from', spec: `host: a\ntrafficPolicy:\n  loadBalancer:\n    localityLbSetting:\n      enabled: true\n      distribute:\n      - {from: us-west/zone1/*, to: {"us-west/zone1/*": 80, "us-west/zone2/*": 20}}\n      - {from: us-west/zone2/*, to: {"us-west/zone1/*": 20, "us-west/zone2/*": 80}}` },
  { name: 'locality failover with outlier detection', spec: `host: a\ntrafficPolicy:\n  outlierDetection: {consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 30s}\n  loadBalancer: {localityLbSetting: {failover: [{from: us-east, to: eu-west}], failoverPriority: [app, "version=v1"]}}` },
  { name: 'a warmup with all fields, as in Istio\'s CRD tests', spec: `host: a\ntrafficPolicy: {loadBalancer: {simple: ROUND_ROBIN, warmup: {duration: 300s, minimumPercent: 5.0, aggression: 5.0}}}` },
  { name: 'a full connection pool with tcp.idleTimeout 0s', spec: `host: a\ntrafficPolicy:\n  connectionPool:\n    tcp: {maxConnections: 100, connectTimeout: 30ms, tcpKeepalive: {probes: 9, time: 7200s, interval: 75s}, maxConnectionDuration: 1h, idleTimeout: 0s}\n    http: {http1MaxPendingRequests: 1, http2MaxRequests: 1000, maxRequestsPerConnection: 10, maxRetries: 3, idleTimeout: 1h, h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 100, http2KeepAlive: {interval: 15s, timeout: 5s}}` },
  { name: 'outlier detection in split mode with error codes', spec: `host: a\ntrafficPolicy: {outlierDetection: {splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3, consecutiveGatewayErrors: 2, maxEjectionPercent: 50, minHealthPercent: 0, outlierDetectionHttpErrorCodes: [500, 503]}}` },
  { name: 'MUTUAL TLS with files and SIMPLE TLS with a credential', spec: `host: a\ntrafficPolicy:\n  tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem, sni: a.com, subjectAltNames: [a.com]}\n  portLevelSettings:\n  - {port: {number: 443}, tls: {mode: SIMPLE, credentialName: client-cred}}` },
  { name: 'a retry budget with a zero interval', spec: `host: a\ntrafficPolicy: {retryBudget: {percent: 25, minRetryConcurrency: 3, budgetInterval: 0s}}` },
  { name: 'a tunnel to an IP target', spec: `host: a\ntrafficPolicy: {tunnel: {protocol: POST, targetHost: 10.0.0.7, targetPort: 8443}}` },
  { name: 'a workload selector exported only to its namespace', spec: `host: a\nworkloadSelector: {matchLabels: {app: ratings}}\nexportTo: ["."]\ntrafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}` },
]

describe('DestinationRule validation', () => {
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

  it('reports every independent problem of one resource at once', () => {
    const diagnostics = validate(`
      host: 10.1.2.3
      trafficPolicy:
        connectionPool: {tcp: {maxConnections: -5}}
        outlierDetection: {maxEjectionPercent: 200}
      subsets:
      - {name: v1}
      - {name: v1}
    `)
    expect(errorsOf(diagnostics).map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
      `DR_HOST_INVALID ${SPEC_LINE_OFFSET + 1}:${SPEC_COLUMN_OFFSET + 7}`,
      `RANGE ${SPEC_LINE_OFFSET + 3}:${SPEC_COLUMN_OFFSET + 42}`,
      `PERCENT ${SPEC_LINE_OFFSET + 4}:${SPEC_COLUMN_OFFSET + 42}`,
      `DR_SUBSET_DUPLICATE ${SPEC_LINE_OFFSET + 7}:${SPEC_COLUMN_OFFSET + 10}`,
    ])
  })

  it('locates a finding in a block-style document at the offending value', () => {
    const diagnostics = validateYaml(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
  namespace: prod
spec:
  host: ratings
  trafficPolicy:
    loadBalancer:
      consistentHash:
        maglev:
          tableSize: 1000
`)
    const [finding] = findingsAt(diagnostics, 'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize')
    expect(finding).toMatchObject({ line: 12, column: 22, resource: { kind: 'DestinationRule', namespace: 'prod', name: 'ratings' } })
  })
})
