import type { RawResource } from '../../source/resource.js'
import type { DestinationRuleSpec, TrafficPolicy } from '../../spec/destination-rule.js'
import type { CompiledDestinationRule, CompiledSubset, MeshIdentity } from '../snapshot.js'
import { resolveShortName } from '../hosts/fqdn.js'
import { HostIndex } from '../hosts/host-index.js'
import { compareByAge, refOf } from '../order.js'
import { isExportedTo, labelsMatch } from '../visibility.js'
import { readExtensions } from './extensions.js'
import { createPolicyResolver } from './policy.js'
import type { Steps } from '../../internal/steps.js'

export interface CompiledDestinationRules {
  readonly list: CompiledDestinationRule[]
  readonly index: HostIndex<CompiledDestinationRule>
}

interface Candidate {
  readonly resource: RawResource
  readonly spec: DestinationRuleSpec
  readonly host: string
}

/**
 * Every DestinationRule this workload sees (exported to its namespace; workloadSelector matching
 * it), grouped by FQDN host and merged per host (`compileHost`).
 */
export function* compileDestinationRules(resources: readonly RawResource[], identity: MeshIdentity): Steps<CompiledDestinationRules> {
  const byHost = new Map<string, Candidate[]>()
  for (const resource of resources) {
    if (resource.kind !== 'DestinationRule') continue
    const spec = resource.spec as DestinationRuleSpec
    if (!spec || typeof spec.host !== 'string' || spec.host === '') continue
    if (!isExportedTo(spec.exportTo, resource.namespace, identity.namespace)) continue
    if (spec.workloadSelector && !selectsThisWorkload(resource, spec, identity)) continue
    const host = resolveShortName(spec.host, resource.namespace, identity.domain)
    const group = byHost.get(host) ?? []
    group.push({ resource, spec, host })
    byHost.set(host, group)
  }
  const list: CompiledDestinationRule[] = []
  const index = new HostIndex<CompiledDestinationRule>()
  for (const host of [...byHost.keys()].sort()) {
    const rule = compileHost(host, preferred(byHost.get(host)!, host, identity))
    list.push(rule)
    index.add(host, rule)
    yield
  }
  return { list, index }
}

/** A DR with a workloadSelector applies only to the selected workloads of its own namespace (DR proto). */
function selectsThisWorkload(resource: RawResource, spec: DestinationRuleSpec, identity: MeshIdentity): boolean {
  return resource.namespace === identity.namespace && labelsMatch(spec.workloadSelector?.matchLabels, identity.labels)
}

/**
 * Istio looks for a host's DestinationRule in the client's namespace, then in the service's, then
 * elsewhere (reference §1), and merges only rules of one namespace. Workload-selected rules come
 * before the rest; within a group the oldest comes first.
 */
function preferred(candidates: Candidate[], host: string, identity: MeshIdentity): Candidate[] {
  const serviceNamespace = host.endsWith(`.svc.${identity.domain}`) ? host.split('.')[1] : undefined
  const inNamespace = (namespace: string | undefined) => candidates.filter((candidate) => candidate.resource.namespace === namespace)
  const chosen = [inNamespace(identity.namespace), inNamespace(serviceNamespace), candidates].find((group) => group.length > 0)!
  return [...chosen].sort((a, b) => Number(!a.spec.workloadSelector) - Number(!b.spec.workloadSelector) || compareByAge(a.resource, b.resource))
}

/**
 * Istio's mergeDestinationRule (`istio:pilot/pkg/model/destination_rule.go`): subsets are
 * concatenated and a later duplicate name is dropped; the first rule that has a top-level
 * trafficPolicy supplies it, with no deep merge. Annotations (meshlet extensions) follow the same
 * rule, per key.
 */
function compileHost(host: string, rules: readonly Candidate[]): CompiledDestinationRule {
  const subsets: CompiledSubset[] = []
  const subsetPolicies = new Map<string, TrafficPolicy | undefined>()
  let trafficPolicy: TrafficPolicy | undefined
  const annotations: Record<string, string> = {}
  for (const { resource, spec } of rules) {
    for (const subset of spec.subsets ?? []) {
      if (!subset?.name || subsetPolicies.has(subset.name)) continue
      subsetPolicies.set(subset.name, subset.trafficPolicy)
      subsets.push({ name: subset.name, labels: { ...(subset.labels ?? {}) } })
    }
    trafficPolicy ??= spec.trafficPolicy
    for (const [key, value] of Object.entries(resource.annotations)) if (!(key in annotations)) annotations[key] = value
  }
  const policyFor = createPolicyResolver({ trafficPolicy, subsetPolicies, ...readExtensions(annotations) })
  return {
    ref: refOf(rules[0]!.resource),
    host,
    subsets,
    mergedFrom: rules.map((rule) => refOf(rule.resource)),
    policyFor,
  }
}
