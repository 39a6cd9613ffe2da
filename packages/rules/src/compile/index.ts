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
import { compileGateway } from './gateway/index.js'
import { HttpRoutes, gammaEntries } from './gateway-api/index.js'
import { meshRouteTable } from './mesh-routes.js'
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
  const serviceEntries = yield* compileServiceEntries(resources, identity, options.registryServices)
  const virtualServices = yield* compileVirtualServices(resources, identity, destinationRules.index)
  const httpRoutes = new HttpRoutes(resources, identity.domain)
  // VirtualServices bound to the mesh and HTTPRoutes whose parent is a Service (GAMMA).
  const meshRoutes = meshRouteTable(virtualServices, gammaEntries(httpRoutes, identity))
  const gateway = options.gateway === undefined ? undefined : compileGateway({ resources, selection: options.gateway, identity, destinationRules: destinationRules.index, serviceEntries: serviceEntries.index, httpRoutes })

  const isKnownHost = (host: string) => meshRoutes.has(host) || destinationRules.index.has(host) || serviceEntries.index.has(host)
  const resolveAuthority = createAuthorityResolver(identity, isKnownHost)

  const snapshot: MeshSnapshot = {
    identity,
    generation: nextGeneration(),
    virtualServices: virtualServices.list,
    destinationRules: destinationRules.list,
    serviceEntries: serviceEntries.list,
    registryServices: serviceEntries.registry,
    resources: [...resources],
    diagnostics: [...diagnostics],
    meshRoutes: meshRoutes.table,
    gateway,
    lookupVirtualService: (authority) => meshRoutes.table.lookup(resolveAuthority(authority).host),
    lookupVirtualServiceByHost: (host) => meshRoutes.table.lookup(host),
    lookupDestinationRule: (host) => destinationRules.index.lookup(host)?.value,
    lookupServiceEntry: (host) => serviceEntries.index.lookup(host)?.value,
    resolveAuthority,
    trafficPolicyFor: (host, subset, port) => destinationRules.index.lookup(host)?.value.policyFor(subset, port) ?? DEFAULT_TRAFFIC_POLICY,
  }
  return deepFreeze(snapshot)
}
