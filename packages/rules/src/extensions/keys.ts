import type { Field } from '../validate/field.js'
import type { ResourceKind } from '../source/resource.js'
import { readLoadBalancerExtension } from './load-balancer.js'
import { readOutlierDetectionExtension } from './outlier-detection.js'
import { readCircuitBreakerExtension } from './circuit-breaker.js'
import { readPeakEwmaExtension } from './peak-ewma.js'
import type { MeshletExtensions } from './types.js'
import { readPortNumber } from '../validate/common/port.js'

export const MESHLET_ANNOTATION_PREFIX = 'meshlet.io/'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface ExtensionKey {
  /** The kinds the annotation means something on; elsewhere it only warns. */
  readonly kinds: readonly ResourceKind[]
  /** Reads the value into its property of the result. */
  read(field: Field, into: Mutable<MeshletExtensions>): void
}

/** Every `meshlet.io/` annotation meshlet reads, by name without the prefix. Any other name is an error. */
export const EXTENSION_KEYS: Readonly<Record<string, ExtensionKey>> = {
  'load-balancer': {
    kinds: ['DestinationRule'],
    read: (field, into) => assign(into, 'loadBalancer', readLoadBalancerExtension(field)),
  },
  'outlier-detection': {
    kinds: ['DestinationRule'],
    read: (field, into) => assign(into, 'outlierDetection', readOutlierDetectionExtension(field)),
  },
  'circuit-breaker': {
    kinds: ['DestinationRule'],
    read: (field, into) => assign(into, 'circuitBreaker', readCircuitBreakerExtension(field)),
  },
  'peak-ewma': {
    kinds: ['DestinationRule'],
    read: (field, into) => assign(into, 'peakEwma', readPeakEwmaExtension(field)),
  },
  // What `mesh.register({ port })` writes: WorkloadEntry has no field for "this port, whatever
  // the service port's name" (its `ports` map is keyed by name).
  port: {
    kinds: ['WorkloadEntry'],
    read: (field, into) => assign(into, 'port', readPortNumber(field)),
  },
}

function assign<K extends keyof MeshletExtensions>(into: Mutable<MeshletExtensions>, key: K, value: MeshletExtensions[K] | undefined): void {
  if (value !== undefined) into[key] = value
}
