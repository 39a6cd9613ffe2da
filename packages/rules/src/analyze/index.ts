import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import type { CompileOptions } from '../compile/options.js'
import { DEFAULT_IDENTITY } from '../compile/options.js'
import { buildInventory } from './inventory.js'
import type { Inventory } from './inventory.js'
import { collectInto } from './finding.js'
import type { Report } from './finding.js'
import { checkSubsetReferences } from './checks/subset-references.js'
import { checkUndeclaredHosts } from './checks/undeclared-hosts.js'
import { checkConflictingVirtualServices } from './checks/conflicting-virtual-services.js'
import { checkDelegates } from './checks/delegates.js'
import { checkDuplicateDestinationRules } from './checks/duplicate-destination-rules.js'
import { checkSubsetEndpoints } from './checks/subset-endpoints.js'
import { checkWorkloadSelectors } from './checks/workload-selectors.js'
import { checkGatewayReferences, checkRouteAttachment } from './checks/gateway-routes.js'
import { runSteps } from '../internal/steps.js'
import type { Steps } from '../internal/steps.js'

const CHECKS: ReadonlyArray<(inventory: Inventory, report: Report) => void> = [
  checkSubsetReferences,
  checkUndeclaredHosts,
  checkConflictingVirtualServices,
  checkDelegates,
  checkDuplicateDestinationRules,
  checkSubsetEndpoints,
  checkWorkloadSelectors,
  checkGatewayReferences,
  checkRouteAttachment,
]

/**
 * Cross-resource analysis in the spirit of `istioctl analyze`: findings are warnings (marked
 * `analysis: true`) because one file of a larger set may still be valid; the pipeline makes them
 * errors under `strict`. Never throws on bad input: resources that failed validation are read
 * tolerantly and their broken parts skipped.
 */
export function analyzeResources(resources: readonly RawResource[], options: CompileOptions): Diagnostic[] {
  return runSteps(analysisSteps(resources, options))
}

/** analyzeResources, yielding between the inventory and each check (see internal/steps.ts). */
export function* analysisSteps(resources: readonly RawResource[], options: CompileOptions): Steps<Diagnostic[]> {
  const diagnostics: Diagnostic[] = []
  const inventory = buildInventory(resources, options.domain ?? DEFAULT_IDENTITY.domain, options.liveWorkloads === true)
  yield
  const report = collectInto(diagnostics)
  for (const check of CHECKS) {
    check(inventory, report)
    yield
  }
  return diagnostics
}

export { ANALYSIS_CODES } from './codes.js'
export type { AnalysisCode } from './codes.js'
export { resolveHost } from './hosts.js'
