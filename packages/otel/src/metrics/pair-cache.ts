/**
 * Handles kept per pair of objects, e.g. a destination series per (call target, endpoint): the
 * data plane's targets and endpoints are objects reused from call to call, so a hit is two
 * WeakMap lookups and allocates nothing, and handles go away with the objects they were made for
 * (a reload builds new targets). `make` runs once per pair.
 */
export class PairCache<A extends object, B extends object, V> {
  readonly #make: (first: A, second: B) => V
  readonly #byFirst = new WeakMap<A, WeakMap<B, V>>()

  constructor(make: (first: A, second: B) => V) {
    this.#make = make
  }

  get(first: A, second: B): V {
    let bySecond = this.#byFirst.get(first)
    if (bySecond === undefined) this.#byFirst.set(first, (bySecond = new WeakMap()))
    let value = bySecond.get(second)
    if (value === undefined) {
      value = this.#make(first, second)
      bySecond.set(second, value)
    }
    return value
  }
}

/** The second key of a call that reached no endpoint (no route, no healthy upstream, a local reply). */
export const NO_ENDPOINT: object = Object.freeze({ noEndpoint: true })
