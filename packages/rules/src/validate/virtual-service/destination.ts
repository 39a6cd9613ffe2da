import type { Field } from '../field.js'
import { checkDns1123Label, checkWildcardDomain, isIpAddress } from '../common/host.js'
import { readInt, readList, readObject, readString } from '../common/read.js'
import { readPortNumber } from '../common/port.js'
import { INT32_MAX } from '../common/int32.js'
import { validateHeaderOperations } from './headers.js'
import { reportNullItem } from './scope.js'

const INT32_MIN = -INT32_MAX - 1

/**
 * A `Destination` (`validation.go` validateDestination, validateSubsetName, validatePortSelector):
 * `host` is required, may not be `*` or an IP address (a valid domain, wildcard prefix allowed);
 * `subset` is a DNS-1123 label (`v1`, `V1`; not `v1.0` or `canary_v2`); `port.number` 1..65535.
 */
export function validateDestination(field: Field): void {
  if (!readObject(field, ['host', 'subset', 'port'], 'an object like {host: reviews, subset: v1}')) return
  const hostField = field.at('host')
  const host = readString(hostField)
  if (!hostField.present) {
    hostField.error('REQUIRED', 'destination.host is required: the service to send requests to, e.g. "reviews"')
  } else if (host === '*') {
    hostField.error('DESTINATION_HOST_INVALID', 'destination host "*" is not allowed; name one service')
  } else if (host !== undefined) {
    const problem = checkWildcardDomain(host)
    if (problem && isIpAddress(host)) {
      hostField.error('DESTINATION_HOST_INVALID', `destination host "${host}" is an IP address, which Istio does not accept here; declare it in a ServiceEntry and route to that entry's host`)
    } else if (problem) {
      hostField.error('DESTINATION_HOST_INVALID', `${problem}; use a service name such as "reviews" or "reviews.prod.svc.cluster.local"`)
    }
  }
  const subsetField = field.at('subset')
  const subset = readString(subsetField)
  if (subset !== undefined && subset !== '') {
    const problem = checkDns1123Label(subset)
    if (problem) subsetField.error('SUBSET_INVALID', `invalid subset name: ${problem}; subset names are DNS-1123 labels such as "v1" or "canary"`)
  }
  const portField = field.at('port')
  if (readObject(portField, ['number'], 'an object like {number: 9080}')) {
    if (!portField.at('number').present) portField.at('number').error('REQUIRED', 'port.number is required (1..65535); remove port to use the service\'s only port')
    else readPortNumber(portField.at('number'))
  }
}

export interface RouteDestinationsRule {
  /** HTTP destinations carry header operations; TCP and TLS ones do not. */
  readonly withHeaders: boolean
}

/**
 * `route` destinations with relative weights (`validation.go` validateHTTPRouteDestinations; weights
 * need not sum to 100 since Istio 1.15): a weight may not be negative, and with several destinations
 * the weights may not all be 0.
 */
export function validateRouteDestinations(field: Field, rule: RouteDestinationsRule): void {
  const items = readList(field)
  let totalWeight = 0
  for (const item of items) {
    if (reportNullItem(item, 'a route destination')) continue
    const keys = rule.withHeaders ? ['destination', 'weight', 'headers'] : ['destination', 'weight']
    if (!readObject(item, keys, 'an object like {destination: {host: reviews}, weight: 50}')) continue
    if (!item.at('destination').present) item.at('destination').error('REQUIRED', 'destination is required, e.g. destination: {host: reviews}')
    else validateDestination(item.at('destination'))
    const weightField = item.at('weight')
    const weight = readInt(weightField, { min: INT32_MIN, max: INT32_MAX })
    if (weight !== undefined && weight < 0) {
      weightField.error('WEIGHT_NEGATIVE', `weight ${weight} is negative; weights are relative shares (0 or more)`)
    }
    // Istio sums every weight, negative ones included, before comparing the total with 0.
    totalWeight += weight ?? 0
    if (rule.withHeaders) validateHeaderOperations(item.at('headers'))
  }
  if (items.length > 1 && totalWeight === 0) {
    field.error('WEIGHTS_SUM_ZERO', 'the weights of these destinations add up to 0, so no destination would get traffic; give at least one a positive weight')
  }
}
