/**
 * How meshlet lays out its keys under the prefix:
 *
 *   <prefix>config/<any name>           YAML or JSON text of one or more Istio resources
 *   <prefix>workloads/<namespace>/<name> one WorkloadEntry (JSON or YAML), usually on a lease
 *
 * Anything else under the prefix is ignored.
 */
export type EtcdKey =
  | { readonly kind: 'config'; readonly key: string }
  | { readonly kind: 'workload'; readonly key: string; readonly namespace: string; readonly name: string }
  | { readonly kind: 'other'; readonly key: string }

export function classifyKey(prefix: string, key: string): EtcdKey {
  if (!key.startsWith(prefix)) return { kind: 'other', key }
  const rest = key.slice(prefix.length)
  if (rest.startsWith('config/') && rest.length > 'config/'.length) return { kind: 'config', key }
  if (rest.startsWith('workloads/')) {
    const parts = rest.slice('workloads/'.length).split('/')
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { kind: 'workload', key, namespace: parts[0]!, name: parts[1]! }
  }
  return { kind: 'other', key }
}

export function workloadKey(prefix: string, namespace: string, name: string): string {
  return `${prefix}workloads/${namespace}/${name}`
}

export function configKey(prefix: string, name: string): string {
  return `${prefix}config/${name}`
}
