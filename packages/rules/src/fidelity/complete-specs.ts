import type { DestinationRuleSpec, TrafficPolicy } from '../spec/destination-rule.js'
import type { ServiceEntrySpec, WorkloadEntrySpec } from '../spec/service-entry.js'
import type { VirtualServiceSpec } from '../spec/virtual-service.js'
import type { GatewaySpec } from '../spec/gateway.js'
import type { HTTPRouteFilter, HTTPRouteSpec, KubernetesGatewaySpec, ReferenceGrantSpec } from '../spec/gateway-api.js'

/**
 * One object per kind with every field of the spec types set (values need not be valid). `Complete`
 * makes every optional field required, so adding a field to spec/ without adding it here fails the
 * typecheck, and the fidelity test then fails until field-support.ts has a row for it. Not exported
 * from the package: it exists for that test.
 */
type Complete<T> = T extends readonly (infer U)[]
  ? Complete<U>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]-?: Complete<NonNullable<T[K]>> }
      : T

const match = { exact: '/a', prefix: '/a', regex: '/a.*' }
const headers = {
  request: { set: { 'x-a': '1' }, add: { 'x-b': '2' }, remove: ['x-c'] },
  response: { set: { 'x-a': '1' }, add: { 'x-b': '2' }, remove: ['x-c'] },
}
const destination = { host: 'reviews', subset: 'v1', port: { number: 9080 } }

const virtualService: Complete<VirtualServiceSpec> = {
  hosts: ['reviews'],
  gateways: ['mesh'],
  exportTo: ['*'],
  tls: [{}],
  tcp: [{}],
  http: [
    {
      name: 'all',
      match: [
        {
          name: 'm',
          uri: match,
          scheme: match,
          method: match,
          authority: match,
          headers: { 'end-user': match },
          port: 9080,
          sourceLabels: { app: 'productpage' },
          gateways: ['mesh'],
          queryParams: { q: match },
          ignoreUriCase: true,
          withoutHeaders: { 'x-debug': match },
          sourceNamespace: 'default',
          statPrefix: 'stats',
        },
      ],
      route: [{ destination, weight: 1, headers }],
      redirect: { uri: '/b', prefixRewrite: '/b', authority: 'b', port: 8080, derivePort: 'FROM_REQUEST_PORT', scheme: 'https', redirectCode: 302 },
      directResponse: { status: 503, body: { string: 'down', bytes: 'ZG93bg==' } },
      delegate: { name: 'delegate', namespace: 'default' },
      rewrite: { uri: '/c', authority: 'c', uriRegexRewrite: { match: '^/(.*)$', rewrite: '/x/\\1' } },
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx', retryRemoteLocalities: true, retryIgnorePreviousHosts: false, backoff: '50ms' },
      fault: {
        delay: { fixedDelay: '1s', exponentialDelay: '1s', percentage: { value: 10 }, percent: 10 },
        abort: { httpStatus: 503, grpcStatus: 'UNAVAILABLE', http2Error: 'REFUSED_STREAM', percentage: { value: 10 } },
      },
      mirror: destination,
      mirrors: [{ destination, percentage: { value: 50 } }],
      mirrorPercentage: { value: 50 },
      mirrorPercent: 50,
      corsPolicy: {
        allowOrigins: [match],
        allowOrigin: ['https://a.example'],
        allowMethods: ['GET'],
        allowHeaders: ['x-a'],
        exposeHeaders: ['x-b'],
        maxAge: '24h',
        allowCredentials: true,
        unmatchedPreflights: 'IGNORE',
      },
      headers,
    },
  ],
}

type PortLevel = Complete<NonNullable<TrafficPolicy['portLevelSettings']>[number]>
const portLevelBlocks: Omit<PortLevel, 'port'> = {
  loadBalancer: {
    simple: 'ROUND_ROBIN',
    consistentHash: {
      httpHeaderName: 'x-user',
      httpCookie: { name: 'c', path: '/', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Strict' }] },
      useSourceIp: true,
      httpQueryParameterName: 'q',
      ringHash: { minimumRingSize: 1024 },
      maglev: { tableSize: 65537 },
      minimumRingSize: 1024,
    },
    localityLbSetting: {
      distribute: [{ from: 'us-east1/*', to: { 'us-east1/*': 100 } }],
      failover: [{ from: 'us-east1', to: 'us-west1' }],
      failoverPriority: ['topology.kubernetes.io/region'],
      enabled: true,
    },
    warmupDurationSecs: '10s',
    warmup: { duration: '10s', minimumPercent: 10, aggression: 1 },
  },
  connectionPool: {
    tcp: { maxConnections: 10, connectTimeout: '1s', tcpKeepalive: { probes: 3, time: '10s', interval: '5s' }, maxConnectionDuration: '1h', idleTimeout: '1h' },
    http: {
      http1MaxPendingRequests: 1,
      http2MaxRequests: 10,
      maxRequestsPerConnection: 1,
      maxRetries: 3,
      idleTimeout: '1h',
      h2UpgradePolicy: 'UPGRADE',
      useClientProtocol: true,
      maxConcurrentStreams: 100,
      http2KeepAlive: { interval: '10s', timeout: '1s' },
    },
  },
  outlierDetection: {
    splitExternalLocalOriginErrors: true,
    consecutiveLocalOriginFailures: 5,
    consecutiveGatewayErrors: 5,
    consecutive5xxErrors: 5,
    interval: '10s',
    baseEjectionTime: '30s',
    maxEjectionPercent: 10,
    minHealthPercent: 0,
    consecutiveErrors: 5,
    outlierDetectionHttpErrorCodes: [500],
  },
  tls: {
    mode: 'SIMPLE',
    clientCertificate: '/certs/cert.pem',
    privateKey: '/certs/key.pem',
    caCertificates: '/certs/ca.pem',
    credentialName: 'secret',
    subjectAltNames: ['spiffe://cluster.local/ns/default/sa/reviews'],
    sni: 'reviews.example',
    insecureSkipVerify: false,
    caCrl: '/certs/crl.pem',
  },
}

const trafficPolicy: Complete<TrafficPolicy> = {
  ...portLevelBlocks,
  portLevelSettings: [{ port: { number: 9080 }, ...portLevelBlocks }],
  tunnel: { protocol: 'CONNECT', targetHost: 'proxy', targetPort: 8080 },
  proxyProtocol: { version: 'V1' },
  retryBudget: { percent: 20, minRetryConcurrency: 3, budgetInterval: '1s' },
}

const destinationRule: Complete<DestinationRuleSpec> = {
  host: 'reviews',
  trafficPolicy,
  subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy }],
  exportTo: ['*'],
  workloadSelector: { matchLabels: { app: 'productpage' } },
}

const workloadEntry: Complete<WorkloadEntrySpec> = {
  address: '10.0.0.1',
  ports: { http: 8080 },
  labels: { version: 'v1' },
  network: 'net-1',
  locality: 'us-east1/us-east1-b',
  weight: 2,
  serviceAccount: 'reviews',
}

const serviceEntry: Complete<ServiceEntrySpec> = {
  hosts: ['api.example.com'],
  addresses: ['240.0.0.1'],
  ports: [{ number: 443, protocol: 'HTTPS', name: 'https', targetPort: 8443 }],
  location: 'MESH_EXTERNAL',
  resolution: 'STATIC',
  endpoints: [workloadEntry],
  workloadSelector: { labels: { app: 'api' } },
  exportTo: ['*'],
  subjectAltNames: ['spiffe://example'],
}

const serverTls = { serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' }
const gateway: Complete<GatewaySpec> = {
  selector: { istio: 'ingressgateway' },
  servers: [
    {
      port: { number: 443, protocol: 'HTTPS', name: 'https', targetPort: 8443 },
      bind: '0.0.0.0',
      hosts: ['*/bookinfo.example'],
      defaultEndpoint: '127.0.0.1:8080',
      name: 'https',
      tls: {
        httpsRedirect: true,
        mode: 'MUTUAL',
        ...serverTls,
        caCrl: '/crl.pem',
        credentialName: 'bookinfo-cert',
        credentialNames: ['bookinfo-cert'],
        tlsCertificates: [serverTls],
        subjectAltNames: ['client'],
        verifyCertificateSpki: ['abc'],
        verifyCertificateHash: ['def'],
        minProtocolVersion: 'TLSV1_2',
        maxProtocolVersion: 'TLSV1_3',
        cipherSuites: ['ECDHE-RSA-AES128-GCM-SHA256'],
      },
    },
  ],
}

const reference = { group: '', kind: 'Service', name: 'app', namespace: 'default', port: 8080 }
const headerFilter = { set: [{ name: 'x-a', value: '1' }], add: [{ name: 'x-b', value: '2' }], remove: ['x-c'] }
const filter: Complete<HTTPRouteFilter> = {
  type: 'RequestHeaderModifier',
  requestHeaderModifier: headerFilter,
  responseHeaderModifier: headerFilter,
  requestRedirect: { scheme: 'https', hostname: 'a.example', path: { type: 'ReplaceFullPath', replaceFullPath: '/a', replacePrefixMatch: '/b' }, port: 443, statusCode: 301 },
  urlRewrite: { hostname: 'a.example', path: { type: 'ReplaceFullPath', replaceFullPath: '/a', replacePrefixMatch: '/b' } },
  requestMirror: { backendRef: reference, percent: 10, fraction: { numerator: 1, denominator: 10 } },
  cors: {},
  extensionRef: {},
}
const kubernetesGateway: Complete<KubernetesGatewaySpec> = {
  gatewayClassName: 'meshlet',
  addresses: [{}],
  infrastructure: {},
  listeners: [
    {
      name: 'https',
      hostname: '*.example.com',
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'cert', namespace: 'default' }], options: { 'meshlet.io/certificate': '/c.pem' }, frontendValidation: {} },
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] } }, kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] },
    },
  ],
}
const httpRoute: Complete<HTTPRouteSpec> = {
  parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default', name: 'web', sectionName: 'https', port: 443 }],
  hostnames: ['a.example'],
  rules: [
    {
      name: 'all',
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'x', value: 'y' }], queryParams: [{ type: 'Exact', name: 'q', value: '1' }], method: 'GET' }],
      filters: [filter],
      backendRefs: [{ ...reference, weight: 1, filters: [filter] }],
      timeouts: { request: '10s', backendRequest: '1s' },
      retry: { codes: [503], attempts: 2, backoff: '100ms' },
      sessionPersistence: {},
    },
  ],
}
const referenceGrant: Complete<ReferenceGrantSpec> = {
  from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }],
  to: [{ group: '', kind: 'Service', name: 'app' }],
}

export const COMPLETE_SPECS = {
  VirtualService: virtualService,
  DestinationRule: destinationRule,
  ServiceEntry: serviceEntry,
  WorkloadEntry: workloadEntry,
  Gateway: gateway,
  KubernetesGateway: kubernetesGateway,
  HTTPRoute: httpRoute,
  ReferenceGrant: referenceGrant,
} as const
