import { describe, expect, it } from 'vitest'
import {
  NO_RESPONSE_FLAGS,
  formatResponseFlags,
  hasResponseFlag,
  parseResponseFlags,
  responseFlagList,
  responseFlagOfReason,
  responseFlagSet,
  withResponseFlag,
} from './response-flags.js'

describe('response flags', () => {
  it('writes a call without flags as "-", as Istio does', () => {
    expect(formatResponseFlags(NO_RESPONSE_FLAGS)).toBe('-')
  })

  it('joins several flags with commas in the order they were raised, as current Envoy does', () => {
    expect(formatResponseFlags(responseFlagSet('DI', 'UT'))).toBe('DI,UT')
    expect(formatResponseFlags(responseFlagSet('UT', 'DI'))).toBe('UT,DI')
    expect(formatResponseFlags(responseFlagSet('UF', 'URX'))).toBe('UF,URX')
  })

  it('keeps a flag raised twice once, where it was first raised', () => {
    let set = withResponseFlag(NO_RESPONSE_FLAGS, 'UF')
    set = withResponseFlag(set, 'UT')
    set = withResponseFlag(set, 'UF')
    expect(responseFlagList(set)).toEqual(['UF', 'UT'])
    expect(hasResponseFlag(set, 'UT')).toBe(true)
    expect(hasResponseFlag(set, 'UO')).toBe(false)
  })

  it('is a number: the same flags in the same order are the same set', () => {
    expect(responseFlagSet('UO')).toBe(withResponseFlag(NO_RESPONSE_FLAGS, 'UO'))
    expect(responseFlagSet('DI', 'FI')).not.toBe(responseFlagSet('FI', 'DI'))
  })

  it('holds seven flags and ignores further ones', () => {
    const set = responseFlagSet('UH', 'UT', 'UF', 'UC', 'UR', 'UO', 'NR', 'DC')
    expect(responseFlagList(set)).toEqual(['UH', 'UT', 'UF', 'UC', 'UR', 'UO', 'NR'])
  })

  it('reads back what it writes, and refuses a flag meshlet never raises', () => {
    expect(parseResponseFlags('-')).toBe(NO_RESPONSE_FLAGS)
    expect(parseResponseFlags('DI,FI')).toBe(responseFlagSet('DI', 'FI'))
    expect(parseResponseFlags('RL')).toBeUndefined()
  })

  it("maps meshlet's local reply reasons to Envoy's flags", () => {
    expect(responseFlagOfReason('no-route')).toBe('NR')
    expect(responseFlagOfReason('no-healthy-upstream')).toBe('UH')
    expect(responseFlagOfReason('overflow')).toBe('UO')
    expect(responseFlagOfReason('timeout')).toBe('UT')
    expect(responseFlagOfReason('per-try-timeout')).toBe('UT')
    expect(responseFlagOfReason('fault-abort')).toBe('FI')
    expect(responseFlagOfReason('connect-failure')).toBe('UF')
    expect(responseFlagOfReason('cancelled')).toBe('DC')
    expect(responseFlagOfReason('unknown-subset')).toBe('NC')
    expect(responseFlagOfReason('direct-response')).toBeUndefined()
    expect(responseFlagOfReason('constructor')).toBeUndefined()
    expect(responseFlagOfReason(undefined)).toBeUndefined()
  })
})
