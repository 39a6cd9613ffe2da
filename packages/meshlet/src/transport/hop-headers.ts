import { util } from 'undici'

/**
 * Connection-level headers that never travel to the next hop (RFC 9110 §7.6.1), which undici
 * also refuses to be given. Host is sent from the request's authority instead.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'expect'])

/** Envoy tells the upstream the time the request was given (router filter, x-envoy-expected-rq-timeout-ms). */
export const EXPECTED_TIMEOUT_HEADER = 'x-envoy-expected-rq-timeout-ms'

/**
 * The header list for undici (name, value, name, value: undici's flat form, which it reads without
 * an object of its own): the request's headers minus hop-by-hop ones, plus Host and, for a try with
 * a deadline, the milliseconds it has left (at least 1: 0 would read as "no timeout"), as Envoy's
 * FilterUtility::setTimeoutHeaders writes them. One list per try, made here anyway.
 */
export function upstreamHeaders(headers: Readonly<Record<string, string>>, authority: string, timeLeftMs: number | undefined): string[] {
  const out = ['host', authority]
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || (timeLeftMs !== undefined && name === EXPECTED_TIMEOUT_HEADER)) continue
    out.push(name, headers[name]!)
  }
  if (timeLeftMs !== undefined) out.push(EXPECTED_TIMEOUT_HEADER, String(Math.max(1, Math.ceil(timeLeftMs))))
  return out
}

/** Turns undici's raw header list (name, value, name, value, as Buffers) into lower-case keys; repeats become lists. */
export function parseRawHeaders(raw: readonly Buffer[] | readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // undici's lookup knows common header names without decoding and lower-casing them.
    const name = util.headerNameToString(raw[i]!)
    const value = raw[i + 1]!.toString('latin1')
    const existing = out[name]
    if (existing === undefined) out[name] = value
    else if (typeof existing === 'string') out[name] = [existing, value]
    else existing.push(value)
  }
  return out
}
