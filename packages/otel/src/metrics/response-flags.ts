/**
 * Envoy's response flags (`%RESPONSE_FLAGS%`, envoy docs configuration/observability/access_log/usage),
 * the ones meshlet can raise, and how several are written in Istio's `response_flags` label.
 *
 * Envoy writes the flags of a request joined by commas, `-` when there is none. Envoy releases up
 * to 1.29 joined them in one fixed table order; since the custom response flags change (1.30,
 * source/common/stream_info/utility.cc `ResponseFlagUtils::toString`) they appear in the order
 * they were raised, each once. meshlet follows the current behaviour: a set remembers the order,
 * so a fault delay followed by a timeout reads `DI,UT`, as current Istio proxies report it.
 *
 * A set is a plain number: each flag a 4-bit code, the first raised in the lowest bits, at most 7
 * flags. Adding a flag or formatting a set seen before allocates nothing.
 */

/** Short flag → what it means (Envoy's long name). */
export const RESPONSE_FLAG_MEANINGS = {
  /** No healthy upstream host in the cluster (every endpoint ejected, or none). */
  UH: 'NoHealthyUpstream',
  /** Upstream request timeout (route timeout or per-try timeout), with a 504. */
  UT: 'UpstreamRequestTimeout',
  /** Upstream connection failure (refused, or the connect timeout expired). */
  UF: 'UpstreamConnectionFailure',
  /** Upstream connection termination: the connection closed before a full response. */
  UC: 'UpstreamConnectionTermination',
  /** Upstream remote reset (an HTTP/2 stream refused or reset by the upstream). */
  UR: 'UpstreamRemoteReset',
  /** Upstream overflow: a connection pool limit (Envoy's circuit breaking) refused the request. */
  UO: 'UpstreamOverflow',
  /** No route matched the request (404). */
  NR: 'NoRouteFound',
  /** No such cluster: the route names a subset no DestinationRule defines. */
  NC: 'NoClusterFound',
  /** The request was delayed by a fault rule. */
  DI: 'DelayInjected',
  /** The request was aborted by a fault rule. */
  FI: 'FaultInjected',
  /** The caller went away (cancelled) before the response was complete. */
  DC: 'DownstreamConnectionTermination',
  /** The retry limit was reached and the last try failed (attempts used up or no retry budget). */
  URX: 'UpstreamRetryLimitExceeded',
} as const

export type ResponseFlag = keyof typeof RESPONSE_FLAG_MEANINGS

/** A set of response flags in the order they were raised (see the file comment). */
export type ResponseFlagSet = number & { readonly __responseFlagSet: true }

export const NO_RESPONSE_FLAGS = 0 as ResponseFlagSet

/** What Istio writes when a request has no flag. */
export const NO_FLAGS_TEXT = '-'

const FLAGS = Object.keys(RESPONSE_FLAG_MEANINGS) as ResponseFlag[]
/** Flag → its 4-bit code (1-based; 0 ends a set). */
const CODE_OF: Readonly<Record<ResponseFlag, number>> = Object.freeze(Object.fromEntries(FLAGS.map((flag, index) => [flag, index + 1])) as Record<ResponseFlag, number>)
const MAX_FLAGS = 7
const BITS = 4
const MASK = 0xf

/** The set with `flag` added at the end; the same set when it already has it (or is full). */
export function withResponseFlag(set: ResponseFlagSet, flag: ResponseFlag): ResponseFlagSet {
  const code = CODE_OF[flag]
  let rest: number = set
  let position = 0
  while (rest !== 0) {
    if ((rest & MASK) === code) return set
    rest >>>= BITS
    position++
  }
  if (position >= MAX_FLAGS) return set
  return (set | (code << (position * BITS))) as ResponseFlagSet
}

export function hasResponseFlag(set: ResponseFlagSet, flag: ResponseFlag): boolean {
  const code = CODE_OF[flag]
  for (let rest: number = set; rest !== 0; rest >>>= BITS) if ((rest & MASK) === code) return true
  return false
}

/** The flags of a set, in the order they were raised. */
export function responseFlagList(set: ResponseFlagSet): ResponseFlag[] {
  const flags: ResponseFlag[] = []
  for (let rest: number = set; rest !== 0; rest >>>= BITS) flags.push(FLAGS[(rest & MASK) - 1]!)
  return flags
}

/** A set from flags in order (duplicates kept once). */
export function responseFlagSet(...flags: ResponseFlag[]): ResponseFlagSet {
  let set = NO_RESPONSE_FLAGS
  for (const flag of flags) set = withResponseFlag(set, flag)
  return set
}

// Sets seen are few (a handful of flags, each once); the cache bound only guards against misuse.
const FORMATTED = new Map<number, string>()
const FORMAT_CACHE_LIMIT = 4_096

/** Istio's label value: the flags joined by commas in the order raised, `-` for none. */
export function formatResponseFlags(set: ResponseFlagSet): string {
  if (set === NO_RESPONSE_FLAGS) return NO_FLAGS_TEXT
  let text = FORMATTED.get(set)
  if (text === undefined) {
    text = responseFlagList(set).join(',')
    if (FORMATTED.size < FORMAT_CACHE_LIMIT) FORMATTED.set(set, text)
  }
  return text
}

/** Reads a label value such as `UF,URX` or `-`; undefined when it names a flag meshlet does not raise. */
export function parseResponseFlags(text: string): ResponseFlagSet | undefined {
  if (text === NO_FLAGS_TEXT || text === '') return NO_RESPONSE_FLAGS
  let set = NO_RESPONSE_FLAGS
  for (const part of text.split(',')) {
    if (!isResponseFlag(part)) return undefined
    set = withResponseFlag(set, part)
  }
  return set
}

export function isResponseFlag(value: string): value is ResponseFlag {
  return Object.hasOwn(CODE_OF, value)
}

/**
 * The flag Envoy raises for each reason meshlet answers a call itself (`x-meshlet-reason`, core
 * LOCAL_REASONS and FailureReason). A route's own answers (direct response, redirect) raise none.
 */
export const RESPONSE_FLAG_OF_REASON: Readonly<Record<string, ResponseFlag>> = Object.freeze({
  'no-route': 'NR',
  'unknown-subset': 'NC',
  'no-healthy-upstream': 'UH',
  timeout: 'UT',
  'per-try-timeout': 'UT',
  overflow: 'UO',
  'fault-abort': 'FI',
  // meshlet.io/circuit-breaker has no Envoy flag; a refusal to protect the upstream is closest to overflow.
  'circuit-open': 'UO',
  'connect-failure': 'UF',
  'connect-timeout': 'UF',
  'reset-before-request': 'UC',
  reset: 'UC',
  'refused-stream': 'UR',
  cancelled: 'DC',
})

/** The flag for a local reply's reason, if it raises one. */
export function responseFlagOfReason(reason: string | undefined): ResponseFlag | undefined {
  return reason !== undefined && Object.hasOwn(RESPONSE_FLAG_OF_REASON, reason) ? RESPONSE_FLAG_OF_REASON[reason] : undefined
}
