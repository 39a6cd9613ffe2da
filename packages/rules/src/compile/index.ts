import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import type { CompileOptions } from './options.js'
import type { MeshSnapshot } from './snapshot.js'
import { compileDestinationRules } from './destination-rule/index.js'
import { DEFAULT_TRAFFIC_POLICY } from './destination-rule/policy.js'
import { deepFreeze } from './freeze.js'
import { nextGeneration } from './generation.js'
import { createAuthorityResolver } from './hosts/authority.js'
import { identityFrom } from './identity.js'
import { compileServiceEntries } from './service-entry/index.js'
import { compileVirtualServices } from './virtual-service/index.js'
import { runSteps } from '../internal/steps.js'
import type { Steps } from '../internal/steps.js'

/**
 * Builds the frozen snapshot from resources that passed validation. `diagnostics` (warnings and
 * notes so far) are kept on the snapshot. DestinationRules compile first: routes read them to know
 * when Istio leaves the previous-hosts retry predicate out.
 */
export function compileValidated(resources: readonly RawResource[], options: CompileOptions, diagnostics: readonly Diagnostic[]): MeshSnapshot {
  return runSteps(compileSteps(resources, options, diagnostics))
}

/** compileValidated, yielding after each VirtualService (see internal/steps.ts). */
export function* compileSteps(resources: readonly RawResource[], options: CompileOptions, diagnostics: readonly Diagnostic[]): Steps<MeshSnapshot> {
  const identity = identityFrom(options)
  const destinationRules = yield* compileDestinationRules(resources, identity)
  const serviceEntries = yield* compileServiceEntries(resources, identity)
  const virtualServices = yield* compileVirtualServices(resources, identity, destinationRules.index)

  const isKnownHost = (host: string) => virtualServices.index.has(host) || destinationRules.index.has(host) || serviceEntries.index.has(host)
  const resolveAuthority = createAuthorityResolver(identity, isKnownHost)

  const snapshot: MeshSnapshot = {
    identity,
    generation: nextGeneration(),
    virtualServices: virtualServices.list,
    destinationRules: destinationRules.list,
    serviceEntries: serviceEntries.list,
    resources: [...resources],
    diagnostics: [...diagnostics],
    lookupVirtualService: (authority) => virtualServices.index.lookup(resolveAuthority(authority).host)?.value,
    lookupVirtualServiceByHost: (host) => virtualServices.index.lookup(host)?.value,
    lookupDestinationRule: (host) => destinationRules.index.lookup(host)?.value,
    lookupServiceEntry: (host) => serviceEntries.index.lookup(host)?.value,
    resolveAuthority,
    trafficPolicyFor: (host, subset, port) => destinationRules.index.lookup(host)?.value.policyFor(subset, port) ?? DEFAULT_TRAFFIC_POLICY,
  }
  return deepFreeze(snapshot)
}
