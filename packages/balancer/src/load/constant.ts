import type { LoadMetric, LoadTracker } from './load-metric.js'

const flat: LoadTracker = {
  cost: () => 0,
  observe: () => {},
}

/** Every endpoint costs the same: a P2C over it is a plain random pick. */
export function constantLoad(): LoadMetric {
  return { name: 'constant', readsClock: false, track: () => flat }
}
