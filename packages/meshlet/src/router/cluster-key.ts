/** What names a destination cluster: host, service port and subset (Envoy's cluster of a subset). */
export interface ClusterIdentity {
  readonly host: string
  readonly port: number
  readonly subset: string | undefined
}

/**
 * Envoy cluster names (`outbound|<port>|<subset>|<host>`, istio pilot/pkg/model/service.go
 * BuildSubsetKey), built once per host, port and subset and then reused, so the per-request path
 * does not concatenate strings; and the identity behind each name, so nothing parses a name back.
 */
export class ClusterKeys {
  private readonly keys = new Map<string, Map<number, Map<string, string>>>()
  private readonly identities = new Map<string, ClusterIdentity>()

  for(host: string, port: number, subset: string | undefined): string {
    let byPort = this.keys.get(host)
    if (byPort === undefined) {
      if (this.keys.size >= 10_000) this.keys.clear()
      byPort = new Map()
      this.keys.set(host, byPort)
    }
    let bySubset = byPort.get(port)
    if (bySubset === undefined) {
      bySubset = new Map()
      byPort.set(port, bySubset)
    }
    const subsetName = subset ?? ''
    let key = bySubset.get(subsetName)
    if (key === undefined) {
      key = `outbound|${port}|${subsetName}|${host}`
      bySubset.set(subsetName, key)
      this.identities.set(key, Object.freeze({ host, port, subset }))
    }
    return key
  }

  /** The host, port and subset a cluster name was made for (undefined for one this object never made). */
  identity(key: string): ClusterIdentity | undefined {
    return this.identities.get(key)
  }
}
