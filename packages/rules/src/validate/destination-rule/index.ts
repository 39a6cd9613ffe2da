import type { ValidationInput } from '../context.js'
import type { Field } from '../field.js'
import { readObject, readString } from '../common/read.js'
import { checkWildcardDomain, isIpAddress } from '../common/host.js'
import { validateExportTo } from '../common/export-to.js'
import { validateSelectorLabels } from '../common/selector.js'
import { validateSubsets } from './subsets.js'
import { validateTrafficPolicy } from './traffic-policy.js'

const SPEC_FIELDS = ['host', 'trafficPolicy', 'subsets', 'exportTo', 'workloadSelector'] as const

/**
 * Validates a DestinationRule as Istio's CRD schema and admission webhook would
 * (`validation.go` ValidateDestinationRule; reference §11–§14, §17).
 */
export function validateDestinationRule({ root, resource }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, SPEC_FIELDS)) return
  validateHost(spec.at('host'))
  const selector = spec.at('workloadSelector')
  if (readObject(selector, ['matchLabels'])) {
    validateSelectorLabels(selector.at('matchLabels'), 'workloadSelector has no matchLabels, so it selects every workload in the namespace')
  }
  validateExportTo(spec.at('exportTo'), { namespace: resource.namespace, allowNone: false, hasWorkloadSelector: selector.present })
  validateTrafficPolicy(spec.at('trafficPolicy'))
  validateSubsets(spec.at('subsets'))
}

/** A (wildcard) domain; IP addresses are not service hosts (`agent/validation.go` ValidateWildcardDomain). */
function validateHost(field: Field): void {
  if (!field.present || field.value === '') {
    field.error('REQUIRED', 'host is required: the service these policies apply to, e.g. "reviews" or "reviews.prod.svc.cluster.local"')
    return
  }
  const host = readString(field)
  if (host === undefined) return
  if (isIpAddress(host)) {
    field.error('DR_HOST_INVALID', `"${host}" is an IP address; a DestinationRule host must be a host name (give the IP a host in a ServiceEntry and use that)`)
    return
  }
  const problem = checkWildcardDomain(host)
  if (problem) field.error('DR_HOST_INVALID', problem)
}
