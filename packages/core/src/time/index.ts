export { systemClock } from './clock.js'
export type { Clock, TimerHandle } from './clock.js'
export { systemRandom, seededRandom } from './random.js'
export type { Random } from './random.js'
