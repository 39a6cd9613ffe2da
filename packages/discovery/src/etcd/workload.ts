import { isIP } from 'node:net'
import { parseYaml } from '../internal/yaml.js'
import type { Workload } from '../discovered/types.js'

/** The annotation `mesh.register({ port })` writes: the port for every service port the `ports` map does not name. */
export const PORT_ANNOTATION = 'meshlet.io/port'

/**
 * Reads the WorkloadEntry held by `<prefix>workloads/<namespace>/<name>` (JSON or YAML). The key
 * names it: metadata, when present, must agree. Returns the workload, or why it cannot be used
 * (Istio's workload_entry.proto: an address, ports 1–65535 by name, string labels, a weight).
 */
export function readWorkload(namespace: string, name: string, origin: string, text: string): Workload | string {
  let document: unknown
  try {
    // JSON (what mesh.register writes) skips the YAML parser, which is far slower.
    document = text.trimStart().startsWith('{') ? jsonOrYaml(text) : parseYaml(text)
  } catch (error) {
    return `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`
  }
  if (!isRecord(document)) return 'must be a WorkloadEntry object'
  if (document.kind !== undefined && document.kind !== 'WorkloadEntry') return `kind must be WorkloadEntry, got ${String(document.kind)}`
  const metadata = isRecord(document.metadata) ? document.metadata : {}
  if (metadata.name !== undefined && metadata.name !== name) return `metadata.name "${String(metadata.name)}" differs from the key's name "${name}"`
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) return `metadata.namespace "${String(metadata.namespace)}" differs from the key's namespace "${namespace}"`
  const spec = isRecord(document.spec) ? document.spec : undefined
  if (spec === undefined) return 'spec is required'
  if (typeof spec.address !== 'string' || spec.address === '') return 'spec.address is required (an IP address, a host name or unix:///path)'
  const ports: Record<string, number> = {}
  if (spec.ports !== undefined) {
    if (!isRecord(spec.ports)) return 'spec.ports must map port names to numbers'
    for (const [portName, port] of Object.entries(spec.ports)) {
      if (!isPort(port)) return `spec.ports.${portName} must be a port number 1..65535`
      ports[portName] = port
    }
  }
  const labels: Record<string, string> = {}
  if (spec.labels !== undefined) {
    if (!isRecord(spec.labels)) return 'spec.labels must map names to strings'
    for (const [label, value] of Object.entries(spec.labels)) {
      if (typeof value !== 'string') return `spec.labels.${label} must be a string`
      labels[label] = value
    }
  }
  if (spec.weight !== undefined && !(Number.isInteger(spec.weight) && (spec.weight as number) >= 0)) return 'spec.weight must be an integer ≥ 0'
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {}
  const portText = annotations[PORT_ANNOTATION]
  const defaultPort = portText === undefined ? undefined : Number(portText)
  if (defaultPort !== undefined && !isPort(defaultPort)) return `metadata.annotations["${PORT_ANNOTATION}"] must be a port number 1..65535`
  return {
    namespace,
    name,
    origin,
    address: spec.address,
    ports,
    labels,
    locality: typeof spec.locality === 'string' && spec.locality !== '' ? spec.locality : undefined,
    weight: typeof spec.weight === 'number' && spec.weight > 0 ? spec.weight : 1,
    network: typeof spec.network === 'string' && spec.network !== '' ? spec.network : undefined,
    defaultPort,
  }
}

/** One instance of a workload, as a WorkloadEntry describes it. */
export interface WorkloadInstance {
  /** The WorkloadEntry name (a DNS-1123 subdomain), unique in its namespace: one per instance. */
  readonly name: string
  readonly namespace: string
  /** Where the instance listens: an IP address, a host name, or unix:///path. */
  readonly address: string
  /** The port for every service port (written as the meshlet.io/port annotation). */
  readonly port?: number
  /** Ports by service port name (WorkloadEntry `ports`), when they differ per service port. */
  readonly ports?: Readonly<Record<string, number>>
  /** What ServiceEntry workloadSelectors and DestinationRule subsets select on (app, version, ...). */
  readonly labels?: Readonly<Record<string, string>>
  /** `region/zone/subzone`. */
  readonly locality?: string
  readonly weight?: number
  readonly network?: string
}

/** A WorkloadEntry as `mesh.register` writes it. */
export function workloadDocument(instance: WorkloadInstance): string {
  const spec: Record<string, unknown> = { address: instance.address }
  if (instance.ports !== undefined) spec.ports = { ...instance.ports }
  if (instance.labels !== undefined) spec.labels = { ...instance.labels }
  if (instance.locality !== undefined) spec.locality = instance.locality
  if (instance.weight !== undefined) spec.weight = instance.weight
  if (instance.network !== undefined) spec.network = instance.network
  const metadata: Record<string, unknown> = { name: instance.name, namespace: instance.namespace }
  if (instance.port !== undefined) metadata.annotations = { [PORT_ANNOTATION]: String(instance.port) }
  return JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata, spec })
}

export function isValidAddress(address: string): boolean {
  return isIP(address) !== 0 || address.startsWith('unix://') || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(address)
}

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function jsonOrYaml(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return parseYaml(text)
  }
}
