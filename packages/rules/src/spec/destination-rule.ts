import type { DurationString } from './common.js'

/** `api:networking/v1alpha3/destination_rule.proto`, as validated input. */
export interface DestinationRuleSpec {
  host: string
  trafficPolicy?: TrafficPolicy
  subsets?: Subset[]
  exportTo?: string[]
  workloadSelector?: { matchLabels?: Record<string, string> }
}

export interface Subset {
  name: string
  labels?: Record<string, string>
  trafficPolicy?: TrafficPolicy
}

export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings
  connectionPool?: ConnectionPoolSettings
  outlierDetection?: OutlierDetection
  tls?: ClientTLSSettings
  portLevelSettings?: PortTrafficPolicy[]
  tunnel?: { protocol?: string; targetHost?: string; targetPort?: number }
  proxyProtocol?: { version?: string }
  /** `percent` is a google.protobuf.DoubleValue: a plain number in YAML/JSON. */
  retryBudget?: { percent?: number; minRetryConcurrency?: number; budgetInterval?: DurationString }
}

export interface PortTrafficPolicy {
  port?: { number?: number }
  loadBalancer?: LoadBalancerSettings
  connectionPool?: ConnectionPoolSettings
  outlierDetection?: OutlierDetection
  tls?: ClientTLSSettings
}

export type SimpleLB = 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST'

export interface LoadBalancerSettings {
  simple?: SimpleLB
  consistentHash?: ConsistentHashLB
  localityLbSetting?: LocalityLoadBalancerSetting
  warmupDurationSecs?: DurationString
  /** `minimumPercent` and `aggression` are google.protobuf.DoubleValue: plain numbers in YAML/JSON. */
  warmup?: { duration?: DurationString; minimumPercent?: number; aggression?: number }
}

export interface ConsistentHashLB {
  httpHeaderName?: string
  httpCookie?: { name: string; path?: string; ttl?: DurationString; attributes?: Array<{ name: string; value?: string }> }
  useSourceIp?: boolean
  httpQueryParameterName?: string
  ringHash?: { minimumRingSize?: number }
  maglev?: { tableSize?: number }
  minimumRingSize?: number
}

export interface LocalityLoadBalancerSetting {
  distribute?: Array<{ from?: string; to?: Record<string, number> }>
  failover?: Array<{ from?: string; to?: string }>
  failoverPriority?: string[]
  enabled?: boolean
}

export interface ConnectionPoolSettings {
  tcp?: {
    maxConnections?: number
    connectTimeout?: DurationString
    tcpKeepalive?: { probes?: number; time?: DurationString; interval?: DurationString }
    maxConnectionDuration?: DurationString
    idleTimeout?: DurationString
  }
  http?: {
    http1MaxPendingRequests?: number
    http2MaxRequests?: number
    maxRequestsPerConnection?: number
    maxRetries?: number
    idleTimeout?: DurationString
    h2UpgradePolicy?: 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE'
    useClientProtocol?: boolean
    maxConcurrentStreams?: number
    http2KeepAlive?: { interval?: DurationString; timeout?: DurationString }
  }
}

export interface OutlierDetection {
  splitExternalLocalOriginErrors?: boolean
  consecutiveLocalOriginFailures?: number
  consecutiveGatewayErrors?: number
  consecutive5xxErrors?: number
  interval?: DurationString
  baseEjectionTime?: DurationString
  maxEjectionPercent?: number
  minHealthPercent?: number
  consecutiveErrors?: number
  outlierDetectionHttpErrorCodes?: number[]
}

export interface ClientTLSSettings {
  mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL'
  clientCertificate?: string
  privateKey?: string
  caCertificates?: string
  credentialName?: string
  subjectAltNames?: string[]
  sni?: string
  insecureSkipVerify?: boolean
  caCrl?: string
}
