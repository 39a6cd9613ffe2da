import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { RawResource } from '../source/resource.js'
import { Field, resourceSink } from './field.js'
import type { ValidationInput } from './context.js'
import { validateVirtualService } from './virtual-service/index.js'
import { validateDestinationRule } from './destination-rule/index.js'
import { validateServiceEntry } from './service-entry/index.js'
import { validateWorkloadEntry } from './workload-entry/index.js'
import { validateMeshletAnnotations } from './annotations/index.js'
import { validateGateway } from './gateway/index.js'
import { validateKubernetesGateway } from './kubernetes-gateway/index.js'
import { validateHttpRoute } from './http-route/index.js'
import { validateReferenceGrant } from './reference-grant/index.js'
import { runSteps } from '../internal/steps.js'
import type { Steps } from '../internal/steps.js'

const VALIDATORS: Readonly<Record<RawResource['kind'], (input: ValidationInput) => void>> = {
  VirtualService: validateVirtualService,
  DestinationRule: validateDestinationRule,
  ServiceEntry: validateServiceEntry,
  WorkloadEntry: validateWorkloadEntry,
  Gateway: validateGateway,
  KubernetesGateway: validateKubernetesGateway,
  HTTPRoute: validateHttpRoute,
  ReferenceGrant: validateReferenceGrant,
}

/**
 * Checks one resource the way Istio's CRD schema and admission webhook would, and returns every
 * finding (errors Istio would reject on, warnings where Istio warns). Never throws on bad input.
 */
export function validateResource(resource: RawResource): Diagnostic[] {
  // A reload reads unchanged documents as the very same frozen objects (source/parse.ts), and an
  // object with no finding in a namespace has none the next time: it is not checked again.
  if (cleanObjects.get(resource.object) === resource.namespace) return []
  const diagnostics = findingsOf(resource)
  if (diagnostics.length === 0) cleanObjects.set(resource.object, resource.namespace)
  return diagnostics
}

/** Frozen resource objects that validated with no finding, with the namespace they were read in. */
const cleanObjects = new WeakMap<object, string>()

function findingsOf(resource: RawResource): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const root = new Field(resource.object, [], resourceSink(resource, diagnostics))
  if (!root.at('spec').present) {
    root.at('spec').error('REQUIRED', 'spec is required')
    return diagnostics
  }
  const input = { root, resource }
  VALIDATORS[resource.kind](input)
  validateMeshletAnnotations(input)
  return diagnostics
}

export function validateResources(resources: readonly RawResource[]): Diagnostic[] {
  return runSteps(validationSteps(resources))
}

/** validateResources one resource at a time (see internal/steps.ts). */
export function* validationSteps(resources: readonly RawResource[]): Steps<Diagnostic[]> {
  const out: Diagnostic[] = []
  for (const resource of resources) {
    for (const diagnostic of validateResource(resource)) out.push(diagnostic)
    yield
  }
  return out
}

export { Field, resourceSink } from './field.js'
export type { FindingSink } from './field.js'
export type { ValidationInput } from './context.js'
