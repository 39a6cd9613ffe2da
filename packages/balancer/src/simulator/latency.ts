import { MeshError } from '@meshlet/core'

/** How long a simulated endpoint takes to answer, as a distribution. */
export type LatencyProfile =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'normal'; readonly meanMs: number; readonly stddevMs: number }
  /** exp(N(ln median, sigma)): the long right tail real services show. */
  | { readonly kind: 'logNormal'; readonly medianMs: number; readonly sigma: number }
  /** Mostly `fast`, sometimes `slow` (GC pauses, cache misses). */
  | { readonly kind: 'bimodal'; readonly fast: LatencyProfile; readonly slow: LatencyProfile; readonly slowProbability: number }
  /** Another profile slowed down by `factor`: the slow outlier among healthy peers. */
  | { readonly kind: 'scaled'; readonly profile: LatencyProfile; readonly factor: number }

/** One draw in milliseconds, never negative. */
export function sampleLatency(profile: LatencyProfile, random: () => number): number {
  switch (profile.kind) {
    case 'fixed':
      return profile.ms
    case 'normal':
      return Math.max(0, profile.meanMs + profile.stddevMs * standardNormal(random))
    case 'logNormal':
      return profile.medianMs * Math.exp(profile.sigma * standardNormal(random))
    case 'bimodal':
      return random() < profile.slowProbability ? sampleLatency(profile.slow, random) : sampleLatency(profile.fast, random)
    case 'scaled':
      return profile.factor * sampleLatency(profile.profile, random)
  }
}

/** Box–Muller; 1 - u keeps the logarithm away from 0. */
function standardNormal(random: () => number): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

export const slowOutlier = (profile: LatencyProfile, factor: number): LatencyProfile => ({ kind: 'scaled', profile, factor })

/**
 * The short text form the command line accepts:
 * `12ms`, `fixed(12ms)`, `normal(20ms, 5ms)`, `lognormal(20ms, 0.5)`, `bimodal(5ms, 400ms, 0.02)`,
 * `slow(normal(20ms, 5ms), 10)`. Durations take `ms` or `s`.
 */
export function parseLatencyProfile(text: string): LatencyProfile {
  const parser = new ProfileParser(text)
  const profile = parser.profile()
  parser.end()
  return profile
}

class ProfileParser {
  private position = 0

  constructor(private readonly text: string) {}

  profile(): LatencyProfile {
    this.skipSpaces()
    const name = /^[a-zA-Z]+/.exec(this.text.slice(this.position))?.[0]
    if (name === undefined) return { kind: 'fixed', ms: this.duration() }
    this.position += name.length
    this.expect('(')
    let profile: LatencyProfile
    switch (name.toLowerCase()) {
      case 'fixed':
        profile = { kind: 'fixed', ms: this.duration() }
        break
      case 'normal': {
        const meanMs = this.duration()
        this.expect(',')
        profile = { kind: 'normal', meanMs, stddevMs: this.duration() }
        break
      }
      case 'lognormal': {
        const medianMs = this.duration()
        this.expect(',')
        profile = { kind: 'logNormal', medianMs, sigma: this.number() }
        break
      }
      case 'bimodal': {
        const fast = this.profile()
        this.expect(',')
        const slow = this.profile()
        this.expect(',')
        profile = { kind: 'bimodal', fast, slow, slowProbability: this.number() }
        break
      }
      case 'slow': {
        const inner = this.profile()
        this.expect(',')
        profile = { kind: 'scaled', profile: inner, factor: this.number() }
        break
      }
      default:
        this.fail(`unknown latency profile "${name}"`)
    }
    this.expect(')')
    return profile
  }

  end(): void {
    this.skipSpaces()
    if (this.position < this.text.length) this.fail('unexpected text')
  }

  private duration(): number {
    const value = this.number()
    const unit = /^(ms|s)/.exec(this.text.slice(this.position))?.[0]
    if (unit === undefined) this.fail('a duration needs a unit (ms or s)')
    this.position += unit.length
    return unit === 's' ? value * 1000 : value
  }

  private number(): number {
    this.skipSpaces()
    const match = /^\d+(\.\d+)?/.exec(this.text.slice(this.position))
    if (match === null) this.fail('expected a number')
    this.position += match[0].length
    return Number(match[0])
  }

  private expect(char: string): void {
    this.skipSpaces()
    if (this.text[this.position] !== char) this.fail(`expected "${char}"`)
    this.position++
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++
  }

  private fail(message: string): never {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `latency profile "${this.text}": ${message} at column ${this.position + 1}`)
  }
}
