import type { Field } from '../field.js'
import { readEnum, readMap, readNumber, readObject } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readBoundedNumber } from '../common/number.js'
import { validateConsistentHash } from './consistent-hash.js'
import { validateLocalityLbSetting } from './locality-lb.js'

const LOAD_BALANCER_FIELDS = ['simple', 'consistentHash', 'localityLbSetting', 'zoneAwareLbSetting', 'warmupDurationSecs', 'warmup'] as const
const SIMPLE_LB = ['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'] as const

export interface LoadBalancerContext {
  /** Whether the same policy has outlierDetection (locality failover needs it). */
  readonly hasOutlierDetection: boolean
}

/**
 * `loadBalancer` (`validation.go` validateLoadBalancer; CRD oneOf simple|consistentHash; reference §12).
 * `zoneAwareLbSetting` is accepted as a block but its contents are not checked here.
 */
export function validateLoadBalancer(field: Field, context: LoadBalancerContext): void {
  if (!readObject(field, LOAD_BALANCER_FIELDS)) return
  const simple = readEnum(field.at('simple'), SIMPLE_LB)
  if (simple === 'LEAST_CONN') {
    field.at('simple').warn('DR_LB_DEPRECATED', 'LEAST_CONN is deprecated; use LEAST_REQUEST, which Istio maps it to anyway')
  }
  if (field.at('simple').present && field.at('consistentHash').present) {
    field.at('consistentHash').error('DR_LB_ONEOF', 'set either simple or consistentHash, not both')
  }
  validateConsistentHash(field.at('consistentHash'))
  if (field.at('localityLbSetting').present && field.at('zoneAwareLbSetting').present) {
    field.at('zoneAwareLbSetting').error('DR_LB_ONEOF', 'set either localityLbSetting or zoneAwareLbSetting, not both')
  }
  validateLocalityLbSetting(field.at('localityLbSetting'), context.hasOutlierDetection)
  readMap(field.at('zoneAwareLbSetting')) // shape only: meshlet does not read its contents
  readDuration(field.at('warmupDurationSecs'))
  if (field.at('warmup').present && field.at('warmupDurationSecs').present) {
    field.at('warmupDurationSecs').error('DR_WARMUP_ONEOF', 'warmupDurationSecs is the deprecated form of warmup.duration; set only warmup')
  }
  validateWarmup(field.at('warmup'))
}

/**
 * `warmup` (Envoy slow start): duration required and ≥ 1ms, minimumPercent 0..100, aggression ≥ 1
 * (the CRD rejects `aggression: 0.3`: `istio:pkg/config/validation/testdata/crds/destinationrule-invalid.yaml`).
 * minimumPercent and aggression are plain numbers (DoubleValue).
 */
function validateWarmup(field: Field): void {
  if (!readObject(field, ['duration', 'minimumPercent', 'aggression'])) return
  if (!field.at('duration').present) field.at('duration').error('REQUIRED', 'warmup.duration is required, e.g. duration: 60s')
  else readDuration(field.at('duration'))
  readBoundedNumber(field.at('minimumPercent'), 0, 100, ' such as 10')
  const aggression = readNumber(field.at('aggression'))
  if (aggression !== undefined && aggression < 1) {
    field.at('aggression').error('RANGE', `aggression must be at least 1 (1 ramps up linearly, larger values start slower), got ${aggression}`)
  }
}
