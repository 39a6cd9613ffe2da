/**
 * gRPC's `grpc-timeout` header: 1 to 8 ASCII digits followed by a unit, H (hours), M (minutes),
 * S (seconds), m (milliseconds), u (microseconds) or n (nanoseconds)
 * (grpc/grpc doc/PROTOCOL-HTTP2.md, "Timeout").
 */

const MS_PER_UNIT: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000_001 }

/** The largest TimeoutValue gRPC allows (8 digits). */
const MAX_GRPC_TIMEOUT_VALUE = 99_999_999

/** Milliseconds in a `grpc-timeout` value, or undefined when it is malformed (as Envoy, which then ignores it). */
export function parseGrpcTimeoutMs(value: string): number | undefined {
  const length = value.length
  if (length < 2 || length > 9) return undefined
  const perUnit = MS_PER_UNIT[value[length - 1]!]
  if (perUnit === undefined) return undefined
  let amount = 0
  for (let i = 0; i < length - 1; i++) {
    const digit = value.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return undefined
    amount = amount * 10 + digit
  }
  return amount * perUnit
}

/**
 * Writes a timeout as `grpc-timeout`: milliseconds while they fit in 8 digits, then seconds,
 * minutes and hours rounded up, as Envoy's Grpc::Common::toGrpcTimeout does.
 */
export function formatGrpcTimeout(timeoutMs: number): string {
  let amount = Math.max(0, Math.ceil(timeoutMs))
  const units = ['m', 'S', 'M', 'H'] as const
  const factors = [1000, 60, 60] as const
  let unit = 0
  while (amount > MAX_GRPC_TIMEOUT_VALUE) {
    if (unit === units.length - 1) {
      amount = MAX_GRPC_TIMEOUT_VALUE
      break
    }
    amount = Math.ceil(amount / factors[unit]!)
    unit++
  }
  return `${amount}${units[unit]}`
}
