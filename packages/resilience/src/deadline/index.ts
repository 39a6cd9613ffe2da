export { deadlineAfter, earlierDeadline, remainingMs, isExpired } from './deadline.js'
export { DeadlineScheduler, schedulerFor } from './scheduler.js'
export type { ScheduledDeadline } from './scheduler.js'
export { DeadlineGuard } from './guard.js'
export { parseGrpcTimeoutMs, formatGrpcTimeout } from './grpc-timeout.js'
export {
  DEADLINE_HEADERS,
  parseExpectedTimeoutMs,
  isGrpcContentType,
  inboundDeadline,
  outboundTimeoutMs,
  expectedTimeoutMs,
} from './propagation.js'
export type { HeaderLookup } from './propagation.js'
