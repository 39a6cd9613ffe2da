import type { Field } from '../validate/field.js'
import { readEnum } from '../validate/common/read.js'
import type { ExtensionLoadBalancer } from './types.js'

const ALGORITHMS: readonly ExtensionLoadBalancer[] = ['PEAK_EWMA', 'ROUND_ROBIN', 'RANDOM', 'LEAST_REQUEST', 'PASSTHROUGH']

/** `meshlet.io/load-balancer: PEAK_EWMA` (a plain name). */
export function readLoadBalancerExtension(field: Field): ExtensionLoadBalancer | undefined {
  if (field.value === 'LEAST_CONN') {
    field.error('ENUM', 'LEAST_CONN is deprecated in Istio; write LEAST_REQUEST')
    return undefined
  }
  return readEnum(field, ALGORITHMS)
}
