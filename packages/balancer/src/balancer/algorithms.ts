import type { BalancerConfig, BalancerOptions } from '../config/config.js'
import { DEFAULT_ALGORITHM, DEFAULT_PEAK_EWMA } from '../config/defaults.js'
import { maglevPicker } from '../consistent-hash/maglev.js'
import { ringHashPicker } from '../consistent-hash/ring-hash.js'
import type { LoadMetric } from '../load/load-metric.js'
import { peakEwmaLoad } from '../load/peak-ewma.js'
import { pendingRequestsLoad } from '../load/pending.js'
import { leastRequestPicker } from '../pickers/least-request.js'
import { p2cPicker } from '../pickers/p2c.js'
import type { PickerFactory } from '../pickers/picker.js'
import { randomPicker } from '../pickers/random.js'
import { roundRobinPicker } from '../pickers/round-robin.js'

/** A balancer is a picker × a load metric (house rule 10). */
export interface Strategy {
  readonly picker: PickerFactory
  readonly load: LoadMetric
}

/** The picker and load metric each Istio algorithm (and meshlet's PEAK_EWMA) stands for. */
export function strategyFor(config: BalancerConfig | undefined, options: BalancerOptions<never>): Strategy | undefined {
  const algorithm = config?.algorithm ?? DEFAULT_ALGORITHM
  switch (algorithm) {
    case 'PASSTHROUGH':
      return undefined
    case 'ROUND_ROBIN':
      return { picker: roundRobinPicker(), load: pendingRequestsLoad() }
    case 'RANDOM':
      return { picker: randomPicker(), load: pendingRequestsLoad() }
    case 'PEAK_EWMA':
      return {
        picker: p2cPicker(),
        load: peakEwmaLoad({
          decayMs: config?.peakEwmaDecayMs ?? options.peakEwma?.decayMs ?? DEFAULT_PEAK_EWMA.decayMs,
          defaultRttMs: options.peakEwma?.defaultRttMs ?? DEFAULT_PEAK_EWMA.defaultRttMs,
        }),
      }
    case 'CONSISTENT_HASH': {
      const hashAlgorithm = config?.consistentHash?.algorithm
      const picker =
        hashAlgorithm?.kind === 'maglev'
          ? maglevPicker({ tableSize: hashAlgorithm.tableSize })
          : ringHashPicker({ minimumRingSize: hashAlgorithm?.minimumRingSize })
      return { picker, load: pendingRequestsLoad() }
    }
    case 'LEAST_REQUEST':
    case 'LEAST_CONN':
      return {
        picker: leastRequestPicker({
          activeRequestBias: options.leastRequest?.activeRequestBias,
          choiceCount: options.leastRequest?.choiceCount,
        }),
        load: pendingRequestsLoad(),
      }
  }
}
