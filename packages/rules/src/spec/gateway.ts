/** `api:networking/v1alpha3/gateway.proto` (Istio's Gateway), as validated input. */
export interface GatewaySpec {
  servers?: Server[]
  /** The gateway workloads (pods) the Gateway configures, by their labels. */
  selector?: Record<string, string>
}

export interface Server {
  port?: ServerPort
  /** Only accepted for a Unix socket listener; meshlet refuses it. */
  bind?: string
  /** `host`, `namespace/host`, `./host` or `*\/host`: which VirtualServices bind and for which hosts. */
  hosts?: string[]
  tls?: ServerTLSSettings
  defaultEndpoint?: string
  /** Unique among the servers of all Gateways; names the server in statistics. */
  name?: string
}

export interface ServerPort {
  number?: number
  /** HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP, TLS (case-insensitive). */
  protocol?: string
  name?: string
  targetPort?: number
}

export type ServerTLSMode = 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL'

export interface ServerTLSSettings {
  httpsRedirect?: boolean
  mode?: ServerTLSMode
  serverCertificate?: string
  privateKey?: string
  caCertificates?: string
  caCrl?: string
  credentialName?: string
  credentialNames?: string[]
  tlsCertificates?: Array<{ serverCertificate?: string; privateKey?: string; caCertificates?: string }>
  subjectAltNames?: string[]
  verifyCertificateSpki?: string[]
  verifyCertificateHash?: string[]
  minProtocolVersion?: 'TLS_AUTO' | 'TLSV1_0' | 'TLSV1_1' | 'TLSV1_2' | 'TLSV1_3'
  maxProtocolVersion?: 'TLS_AUTO' | 'TLSV1_0' | 'TLSV1_1' | 'TLSV1_2' | 'TLSV1_3'
  cipherSuites?: string[]
}
