import type { ValidationInput } from '../context.js'
import type { Field } from '../field.js'
import { readInt, readList, readObject, readString } from '../common/read.js'
import { readGatewayApiDuration, readHostname } from '../common/gateway-api.js'
import { validateBackendRefs } from './backend-refs.js'
import { validateFilters } from './filters.js'
import { validateMatch } from './match.js'
import type { MatchSummary } from './match.js'
import { validateParentRefs } from './parent-refs.js'

const MAX_HOSTNAMES = 16
const MAX_RULES = 16
const MAX_MATCHES = 64

/**
 * An HTTPRoute (`gwapi:apis/v1/httproute_types.go` and the CRD's CEL rules): parentRefs, at most 16
 * hostnames, at most 16 rules of at most 64 matches each, filters, backendRefs, timeouts
 * (`backendRequest` not above `request`) and retry (codes 400..599). A ReplacePrefixMatch path
 * modifier needs every match of its rule to be a PathPrefix match.
 */
export function validateHttpRoute({ root }: ValidationInput): void {
  const spec = root.at('spec')
  if (!readObject(spec, ['parentRefs', 'hostnames', 'rules', 'useDefaultGateways'])) return
  validateParentRefs(spec.at('parentRefs'))
  const hostnames = readList(spec.at('hostnames'))
  if (hostnames.length > MAX_HOSTNAMES) spec.at('hostnames').error('RANGE', `at most ${MAX_HOSTNAMES} hostnames`)
  for (const hostname of hostnames) readHostname(hostname)
  const rules = readList(spec.at('rules'))
  if (rules.length > MAX_RULES) spec.at('rules').error('RANGE', `at most ${MAX_RULES} rules`)
  for (const rule of rules) validateRule(rule)
}

function validateRule(rule: Field): void {
  if (!readObject(rule, ['name', 'matches', 'filters', 'backendRefs', 'timeouts', 'retry', 'sessionPersistence'])) return
  readString(rule.at('name'))
  const matches = readList(rule.at('matches'))
  if (matches.length > MAX_MATCHES) rule.at('matches').error('RANGE', `at most ${MAX_MATCHES} matches`)
  const summaries: MatchSummary[] = matches.map(validateMatch)
  const filters = validateFilters(rule.at('filters'))
  if (filters.replacesPrefix !== undefined) {
    const pathPrefixOnly = summaries.length === 0 || summaries.every((summary) => summary.pathType === 'PathPrefix')
    if (!pathPrefixOnly || summaries.length > 1) {
      filters.replacesPrefix.error(
        'REWRITE_PREFIX_MATCH',
        'ReplacePrefixMatch needs the rule to have exactly one match, of path type PathPrefix (or no match, which is PathPrefix "/")',
      )
    }
  }
  validateBackendRefs(rule.at('backendRefs'))
  const timeouts = rule.at('timeouts')
  if (readObject(timeouts, ['request', 'backendRequest'])) {
    const request = readGatewayApiDuration(timeouts.at('request'))
    const backend = readGatewayApiDuration(timeouts.at('backendRequest'))
    if (request !== undefined && backend !== undefined && request !== 0 && (backend === 0 || backend > request)) {
      timeouts.at('backendRequest').error('TIMEOUT_ORDER', `backendRequest timeout cannot be longer than request timeout (${String(timeouts.at('request').value)})`)
    }
  }
  const retry = rule.at('retry')
  if (readObject(retry, ['codes', 'attempts', 'backoff'])) {
    for (const code of readList(retry.at('codes'))) readInt(code, { min: 400, max: 599 })
    readInt(retry.at('attempts'), { min: 0 })
    readGatewayApiDuration(retry.at('backoff'))
  }
}
