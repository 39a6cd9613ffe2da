import type { SourceName } from '../source/events.js'
import type { WorkloadEndpointShape } from '../service-entry/shape.js'

/**
 * Istio resources a source read, named by where they live (`origin`): YAML or JSON text (an etcd
 * key, which may hold several documents) or one object (a Kubernetes custom resource). meshlet
 * validates and compiles them with the files, exactly as it does files.
 */
export type RuleDocument =
  | { readonly source: SourceName; readonly origin: string; readonly text: string; readonly object?: undefined }
  | { readonly source: SourceName; readonly origin: string; readonly object: unknown; readonly text?: undefined }

/**
 * A service a registry declares (a Kubernetes Service): its host and ports become known to the
 * rules as a ServiceEntry would make them. The rules package's RegistryService has this shape.
 */
export interface ServiceDeclaration {
  /** `name.namespace.svc.<domain>`. */
  readonly host: string
  readonly kind: 'Service'
  readonly namespace: string
  readonly name: string
  /** The API path it was read from, shown in diagnostics. */
  readonly origin: string
  readonly ports: ReadonlyArray<ServicePortDeclaration>
  /** STATIC: endpoints from EndpointSlices; DNS: an ExternalName service, resolved by name. */
  readonly resolution: 'STATIC' | 'DNS'
  readonly dnsName?: string | undefined
}

export interface ServicePortDeclaration {
  readonly number: number
  readonly name: string
  readonly protocol: string
  readonly targetPort: number | undefined
}

/** A WorkloadEntry a live source holds (an etcd registration), with where it lives. */
export interface Workload extends WorkloadEndpointShape {
  readonly namespace: string
  readonly name: string
  /** `etcd:<key>`. */
  readonly origin: string
}
