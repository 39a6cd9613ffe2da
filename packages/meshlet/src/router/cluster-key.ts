/**
 * Envoy cluster names (`outbound|<port>|<subset>|<host>`, istio pilot/pkg/model/service.go
 * BuildSubsetKey), built once per host, port and subset and then reused, so the per-request path
 * does not concatenate strings.
 */
export class ClusterKeys {
  private readonly keys = new Map<string, Map<number, Map<string, string>>>()

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
    }
    return key
  }
}
