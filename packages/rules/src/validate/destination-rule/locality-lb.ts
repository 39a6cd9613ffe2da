import type { Field } from '../field.js'
import { readBool, readInt, readList, readMap, readObject, readString } from '../common/read.js'
import { findLocalityProblems } from '../common/locality.js'

const LOCALITY_FIELDS = ['enabled', 'distribute', 'failover', 'failoverPriority'] as const

/** Topology labels Istio fills from the locality; they cannot be combined with `failover`. */
const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'])

/**
 * `localityLbSetting` (`agent/validation.go` ValidateLocalityLbSetting; reference §12):
 * distribute weights 1..100 summing to exactly 100 per `from`, locality patterns, failover between
 * two different regions, distribute and failover exclusive, no topology label in
 * failoverPriority together with failover. Failover without outlier detection only warns.
 */
export function validateLocalityLbSetting(field: Field, hasOutlierDetection: boolean): void {
  if (!readObject(field, LOCALITY_FIELDS)) return
  readBool(field.at('enabled'))
  const distribute = readList(field.at('distribute'))
  const failover = readList(field.at('failover'))
  const priorities = readList(field.at('failoverPriority'))
  if (distribute.length > 0 && failover.length > 0) {
    field.at('failover').error('DR_LOCALITY_DISTRIBUTE_AND_FAILOVER', 'distribute and failover cannot be set together; keep one')
  }
  validateDistribute(distribute)
  validateFailover(failover)
  for (const priority of priorities) {
    const label = readString(priority)
    if (label !== undefined && failover.length > 0 && TOPOLOGY_LABELS.has(label)) {
      priority.error('DR_LOCALITY_FAILOVER_PRIORITY', `failoverPriority cannot use the topology label "${label}" while failover is set; remove one of them`)
    }
  }
  if ((failover.length > 0 || priorities.length > 0) && !hasOutlierDetection) {
    field.warn('DR_FAILOVER_WITHOUT_OUTLIER', 'locality failover only works with outlierDetection in the same traffic policy; add an outlierDetection block')
  }
}

function validateDistribute(entries: readonly Field[]): void {
  const froms: Array<{ value: string; field: Field }> = []
  for (const entry of entries) {
    if (!readObject(entry, ['from', 'to'])) continue
    const from = readString(entry.at('from'))
    if (from !== undefined) froms.push({ value: from, field: entry.at('from') })
    const targets = readMap(entry.at('to'))
    let total = 0
    let weightsValid = true
    for (const [, weightField] of targets) {
      const weight = readInt(weightField, { min: 1, max: 100, rangeMessage: `locality weight must be in range 1..100, got ${String(weightField.value)}` })
      if (weight === undefined) weightsValid = false
      else total += weight
    }
    if (weightsValid && total !== 100) {
      entry.at('to').error('DR_LOCALITY_WEIGHT_SUM', `locality weights add up to ${total}; the weights for one "from" must add up to exactly 100`)
    }
    for (const { index, message } of findLocalityProblems(targets.map(([locality]) => locality))) {
      targets[index]![1].error('DR_LOCALITY_INVALID', message)
    }
  }
  for (const { index, message } of findLocalityProblems(froms.map((from) => from.value))) {
    froms[index]!.field.error('DR_LOCALITY_INVALID', message)
  }
}

function validateFailover(entries: readonly Field[]): void {
  for (const entry of entries) {
    if (!readObject(entry, ['from', 'to'])) continue
    const from = readString(entry.at('from')) ?? ''
    const to = readString(entry.at('to')) ?? ''
    if (from === to) entry.error('DR_LOCALITY_FAILOVER_INVALID', `failover must name two different regions, got "${from}" twice`)
    for (const [key, region] of [['from', from], ['to', to]] as const) {
      if (region.includes('/')) entry.at(key).error('DR_LOCALITY_FAILOVER_INVALID', `failover takes regions only, got "${region}"; drop the zone part`)
      if (region.includes('*')) entry.at(key).error('DR_LOCALITY_FAILOVER_INVALID', `failover regions may not contain "*", got "${region}"`)
    }
  }
}
