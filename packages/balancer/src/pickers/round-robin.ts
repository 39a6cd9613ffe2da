import type { Host } from '../endpoint/host.js'
import { EdfPicker } from './edf.js'
import { allEqual, anyWarming, type Picker, type PickerEnv, type PickerFactory } from './picker.js'

/**
 * ROUND_ROBIN. Equal weights and nobody warming: plain rotation, starting at a random host so
 * that many clients started together do not all hit the first endpoint (Envoy seeds its index the
 * same way). Otherwise Envoy's weighted schedule (EDF), with slow start scaling the weights.
 */
export function roundRobinPicker(): PickerFactory {
  return {
    name: 'round-robin',
    usesHash: false,
    supportsWarmup: true,
    build<E>(hosts: readonly Host<E>[], weights: readonly number[], env: PickerEnv): Picker<E> {
      const warming = anyWarming(hosts, env)
      if (allEqual(weights) && !warming) return new Rotation(hosts, Math.floor(env.random() * hosts.length))
      if (!warming) {
        const schedule = precomputedSchedule(hosts, weights)
        if (schedule !== undefined) return schedule
      }
      const slowStart = env.slowStart
      if (slowStart === undefined) return new EdfPicker(hosts, (index) => weights[index]!)
      return new EdfPicker(hosts, (index) => weights[index]! * slowStart.factor(hosts[index]!, env.now()))
    },
  }
}

/** Cycles longer than this are served by the heap instead of a table. */
const MAX_SCHEDULE_LENGTH = 65_536

/**
 * With fixed integer weights the EDF sequence repeats every Σ(weight / gcd) picks: run it once
 * into a table and replay it, so a weighted pick costs what a plain rotation does.
 */
function precomputedSchedule<E>(hosts: readonly Host<E>[], weights: readonly number[]): Picker<E> | undefined {
  if (!weights.every((weight) => Number.isInteger(weight) && weight > 0)) return undefined
  const divisor = weights.reduce((common, weight) => gcd(common, weight), 0)
  const length = weights.reduce((sum, weight) => sum + weight / divisor, 0)
  if (length > MAX_SCHEDULE_LENGTH) return undefined
  const edf = new EdfPicker(hosts, (index) => weights[index]!)
  const order = new Map(hosts.map((host, index) => [host, index]))
  const schedule = new Int32Array(length)
  for (let position = 0; position < length; position++) schedule[position] = order.get(edf.pick()!)!
  return new Schedule(hosts, schedule)
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

class Schedule<E> implements Picker<E> {
  private next = 0

  constructor(
    private readonly hosts: readonly Host<E>[],
    private readonly schedule: Int32Array,
  ) {}

  pick(): Host<E> | undefined {
    const host = this.hosts[this.schedule[this.next]!]
    this.next = this.next + 1 >= this.schedule.length ? 0 : this.next + 1
    return host
  }
}

class Rotation<E> implements Picker<E> {
  constructor(
    private readonly hosts: readonly Host<E>[],
    private next: number,
  ) {}

  pick(): Host<E> | undefined {
    const hosts = this.hosts
    if (hosts.length === 0) return undefined
    const host = hosts[this.next]
    this.next = this.next + 1 >= hosts.length ? 0 : this.next + 1
    return host
  }
}
