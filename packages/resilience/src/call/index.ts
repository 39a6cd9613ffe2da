export type { CallAdapter, RequestReplay, ReplayBlock } from './adapter.js'
export { describeOutcome } from './describe.js'
