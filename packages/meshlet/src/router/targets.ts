import { LOCAL_REASONS, localReply } from '@meshlet/core'
import type { MeshEndpoint, MeshResponse } from '@meshlet/core'
import type { EndpointRegistry, EndpointsAnswer } from '@meshlet/discovery'
import { parsePortProtocol, upstreamProtocolOf } from '@meshlet/rules'
import type { MeshSnapshot } from '@meshlet/rules'
import type { MeshCallTarget } from '../call-context.js'
import { ClusterKeys } from './cluster-key.js'
import type { ClusterIdentity } from './cluster-key.js'

/** Where the router wants a call to go, before endpoints are known. */
export interface Destination {
  /** FQDN of the destination (or the name as written, for a host the mesh does not know). */
  readonly host: string
  readonly subset: string | undefined
  /** The service port: the route destination's, else the port the request addressed. */
  readonly port: number
  /** The name to connect to if the host passes through (the caller's own name for its own host). */
  readonly passthroughName: string
  /** The request's scheme: an https request keeps TLS to the endpoint. */
  readonly scheme: 'http' | 'https'
}

/**
 * Turns a destination into a call target: checks the subset exists in the host's DestinationRule
 * (else 503 unknown-subset, Envoy's "no cluster"), takes the policy for host, subset and port,
 * finds the endpoints (registry: local option, ServiceEntry, DNS, or passthrough) and keeps those
 * of the subset. Answers a local reply instead of a target when the call cannot go anywhere.
 */
export class TargetResolver {
  private readonly clusterKeys = new ClusterKeys()
  /**
   * Targets built so far, by the endpoint list they were built from: while discovery answers with
   * the same list (it keeps one per host and port until the endpoints change) and the snapshot is
   * the same, the same destination gets the same target, built once.
   */
  private readonly built = new WeakMap<readonly MeshEndpoint[], BuiltTarget[]>()

  constructor(private readonly registry: EndpointRegistry) {}

  /** The host, port and subset of a cluster this resolver named. */
  clusterIdentity(key: string): ClusterIdentity | undefined {
    return this.clusterKeys.identity(key)
  }

  resolve(snapshot: MeshSnapshot, destination: Destination): MeshCallTarget | MeshResponse | Promise<MeshCallTarget | MeshResponse> {
    const answer = this.registry.endpoints(destination.host, destination.port, snapshot.lookupServiceEntry(destination.host))
    if (answer instanceof Promise) return answer.then((resolved) => this.build(snapshot, destination, resolved))
    return this.build(snapshot, destination, answer)
  }

  private build(snapshot: MeshSnapshot, destination: Destination, answer: EndpointsAnswer): MeshCallTarget | MeshResponse {
    const passthrough = answer === 'passthrough'
    const discovered: readonly MeshEndpoint[] = passthrough ? this.registry.passthrough(destination.passthroughName, destination.port) : answer
    let cached = this.built.get(discovered)
    if (cached !== undefined) {
      for (const entry of cached) if (entry.snapshot === snapshot && sameDestination(entry.destination, destination)) return entry.target
    } else {
      cached = []
      this.built.set(discovered, cached)
    }
    // Built once per snapshot, destination and endpoint list: only then is the subset looked up.
    let subsetLabels: Readonly<Record<string, string>> | undefined
    if (destination.subset !== undefined) {
      const subset = snapshot.lookupDestinationRule(destination.host)?.subsets.find((s) => s.name === destination.subset)
      if (subset === undefined) return localReply(503, LOCAL_REASONS.unknownSubset)
      subsetLabels = subset.labels
    }
    const target = this.buildTarget(snapshot, destination, subsetLabels, discovered, passthrough)
    // A local reply carries a body read once: never reused.
    if ('status' in target) return target
    if (cached.length >= BUILT_TARGETS_PER_LIST) cached.shift()
    cached.push({ snapshot, destination, target })
    return target
  }

  private buildTarget(
    snapshot: MeshSnapshot,
    destination: Destination,
    subsetLabels: Readonly<Record<string, string>> | undefined,
    discovered: readonly MeshEndpoint[],
    passthrough: boolean,
  ): MeshCallTarget | MeshResponse {
    let endpoints = discovered
    if (subsetLabels !== undefined) endpoints = this.registry.subset(endpoints, subsetLabels)
    if (endpoints.length === 0) return localReply(503, LOCAL_REASONS.noHealthyUpstream)
    const policy = snapshot.trafficPolicyFor(destination.host, destination.subset, destination.port)
    const serviceEntry = snapshot.lookupServiceEntry(destination.host)
    const tlsMode = policy.tls?.mode
    const originatesTls = destination.scheme === 'https' || tlsMode === 'SIMPLE' || tlsMode === 'MUTUAL'
    // The service port's declared protocol (a ServiceEntry port; none for the `endpoints` option or
    // an unknown host, which Istio would sniff) and the DestinationRule's upgrade policy.
    const servicePort = serviceEntry?.ports.find((port) => port.number === destination.port)
    const protocol = upstreamProtocolOf(parsePortProtocol(servicePort?.protocol), policy.connectionPool)
    return {
      key: this.clusterKeys.for(destination.host, destination.port, destination.subset),
      host: destination.host,
      subset: destination.subset,
      port: destination.port,
      policy,
      endpoints,
      passthrough,
      inMesh: serviceEntry !== undefined ? serviceEntry.location === 'MESH_INTERNAL' : !passthrough || declaredByRules(snapshot, destination.host),
      upstreamScheme: originatesTls ? 'https' : 'http',
      sni: originatesTls ? (policy.tls?.sni ?? destination.passthroughName) : undefined,
      protocol,
    }
  }
}

/** A host a VirtualService or DestinationRule names is a mesh service, even while it has no endpoints here. */
function declaredByRules(snapshot: MeshSnapshot, host: string): boolean {
  return snapshot.lookupVirtualServiceByHost(host) !== undefined || snapshot.lookupDestinationRule(host) !== undefined
}

/** How many targets are kept per endpoint list (destinations sharing a host and port: subsets, schemes). */
const BUILT_TARGETS_PER_LIST = 8

interface BuiltTarget {
  readonly snapshot: MeshSnapshot
  readonly destination: Destination
  readonly target: MeshCallTarget
}

function sameDestination(a: Destination, b: Destination): boolean {
  return a.host === b.host && a.subset === b.subset && a.port === b.port && a.scheme === b.scheme && a.passthroughName === b.passthroughName
}
