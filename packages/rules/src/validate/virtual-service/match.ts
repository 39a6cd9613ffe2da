import type { Field } from '../field.js'
import { readBool, readInt, readMap, readObject, readString, UINT32_MAX } from '../common/read.js'
import { checkDns1123Label } from '../common/host.js'
import { checkLabelKey, checkLabelValue } from '../common/labels.js'
import { checkMatchHeaderName, isJwtClaimHeader } from '../common/http-header.js'
import { readStringMatch } from '../common/string-match.js'
import type { StringMatchRule, StringMatchValue } from '../common/string-match.js'
import { validateGatewayNames } from './gateways.js'
import type { VirtualServiceScope } from './scope.js'

const MATCH_KEYS = [
  'name', 'uri', 'scheme', 'method', 'authority', 'headers', 'port', 'sourceLabels', 'gateways',
  'queryParams', 'ignoreUriCase', 'withoutHeaders', 'sourceNamespace', 'statPrefix',
] as const

/**
 * One `HTTPMatchRequest` (`virtualservice.go` validateHTTPRouteMatchRequest). Returns the uri match
 * (for the redirect `prefixRewrite` rule), or undefined.
 */
export function validateHttpMatch(field: Field, scope: VirtualServiceScope): StringMatchValue | undefined {
  if (field.value === null) {
    field.error('NULL_VALUE', 'a match entry must not be null; remove it (a route without match matches every request)')
    return undefined
  }
  if (!readObject(field, MATCH_KEYS, 'an object like {uri: {prefix: /api}}')) return undefined
  readString(field.at('name'))
  readString(field.at('statPrefix'))
  readBool(field.at('ignoreUriCase'))

  // uri may be an empty prefix (Envoy's route prefix may be ""); scheme, method and authority may not.
  const uri = readStringMatch(field.at('uri'), { allowEmptyPrefix: true })
  for (const key of ['scheme', 'method', 'authority'] as const) readStringMatch(field.at(key))

  validateHeaderMatches(field.at('headers'), scope, {})
  // `regex: "*"` in withoutHeaders is a presence match that Istio does not compile as RE2.
  validateHeaderMatches(field.at('withoutHeaders'), scope, { allowStarRegex: true })
  for (const [, paramField] of readMap(field.at('queryParams'))) {
    if (paramField.value === null) paramField.error('NULL_VALUE', 'a query parameter match must not be null; use {} to match presence')
    else readStringMatch(paramField)
  }

  const portField = field.at('port')
  const port = readInt(portField, { min: 0, max: UINT32_MAX })
  if (port !== undefined && port !== 0 && port > 65535) portField.error('RANGE', `port number ${port} must be in the range 1..65535`)

  for (const [key, valueField] of readMap(field.at('sourceLabels'))) {
    const keyProblem = checkLabelKey(key)
    if (keyProblem) valueField.error('LABEL_INVALID', keyProblem)
    const value = readString(valueField)
    const valueProblem = value === undefined ? undefined : checkLabelValue(value)
    if (valueProblem) valueField.error('LABEL_INVALID', valueProblem)
  }
  validateGatewayNames(field.at('gateways'))
  const namespaceField = field.at('sourceNamespace')
  const namespace = readString(namespaceField)
  if (namespace !== undefined && namespace !== '' && checkDns1123Label(namespace)) {
    namespaceField.error('NAMESPACE_INVALID', `sourceNamespace "${namespace}" is not a valid namespace name (a DNS-1123 label)`)
  }
  return uri
}

function validateHeaderMatches(field: Field, scope: VirtualServiceScope, rule: StringMatchRule): void {
  for (const [name, matchField] of readMap(field)) {
    const nameProblem = checkMatchHeaderName(name)
    if (nameProblem) matchField.error('HEADER_NAME_INVALID', nameProblem)
    if (isJwtClaimHeader(name) && !scope.appliesToGatewayOnly) {
      matchField.error('JWT_CLAIM_ROUTING_GATEWAY_ONLY', `routing on JWT claims ("${name}") works only in VirtualServices bound to gateways; sidecars and meshlet cannot match it`)
    }
    if (matchField.value === null) {
      matchField.error('NULL_VALUE', `the match for header "${name}" must not be null; use {} to match presence`)
      continue
    }
    readStringMatch(matchField, rule)
  }
}
