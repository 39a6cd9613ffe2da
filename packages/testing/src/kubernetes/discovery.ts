import { SERVED_VERBS, groupVersion } from './resources.js'
import type { ServedResource } from './resources.js'

/**
 * Legacy API discovery documents (what `kubectl` falls back to when the server does not offer
 * aggregated discovery): /api, /apis, /apis/<group> and /api(s)/<group>/<version>.
 */

export function apiVersions(port: number): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] }
}

export function apiGroupList(resources: readonly ServedResource[]): Record<string, unknown> {
  const names = [...new Set(resources.map((resource) => resource.group).filter((group) => group !== ''))]
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((name) => servedGroup(resources, name)) }
}

export function servedGroup(resources: readonly ServedResource[], name: string): Record<string, unknown> | undefined {
  const inGroup = resources.filter((resource) => resource.group === name)
  if (inGroup.length === 0 || name === '') return undefined
  const versions = [...new Set(inGroup.flatMap((resource) => resource.versions))]
  const entries = versions.map((version) => ({ groupVersion: groupVersion(name, version), version }))
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: entries, preferredVersion: entries[0] }
}

export function apiResourceList(group: string, version: string, resources: readonly ServedResource[]): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: resources.map((resource) => ({
      name: resource.plural,
      singularName: resource.singular,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: [...SERVED_VERBS],
      ...(resource.shortNames.length > 0 ? { shortNames: [...resource.shortNames] } : {}),
    })),
  }
}
