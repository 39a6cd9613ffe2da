import type { Field } from '../field.js'
import { readBool, readInt, readList, readObject, readString } from '../common/read.js'
import { parseGoDuration } from '../common/duration.js'
import { readRequiredString } from '../common/required.js'

const HASH_KEYS = ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'] as const
const HASH_ALGORITHMS = ['ringHash', 'maglev'] as const
const CONSISTENT_HASH_FIELDS = [...HASH_KEYS, ...HASH_ALGORITHMS, 'minimumRingSize'] as const

/** Envoy's maglev table must be a prime below this (`validation.go` validateLoadBalancer). */
const MAGLEV_TABLE_SIZE_LIMIT = 5000011
/** Envoy's default maglev table size, suggested in messages. */
const MAGLEV_DEFAULT_TABLE_SIZE = 65537

/**
 * `consistentHash` (`validation.go` validateLoadBalancer; CRD oneOf groups): one hash key at most,
 * ringHash or maglev at most, maglev tableSize a prime below 5000011, deprecated minimumRingSize.
 */
export function validateConsistentHash(field: Field): void {
  if (!readObject(field, CONSISTENT_HASH_FIELDS)) return
  const keys = HASH_KEYS.filter((key) => field.at(key).present)
  if (keys.length > 1) {
    field.at(keys[1]!).error('DR_HASH_KEY_ONEOF', `set only one hash key; ${keys.join(' and ')} are both set`)
  }
  readString(field.at('httpHeaderName'))
  readBool(field.at('useSourceIp'))
  readString(field.at('httpQueryParameterName'))
  validateHttpCookie(field.at('httpCookie'))

  const algorithms = HASH_ALGORITHMS.filter((key) => field.at(key).present)
  if (algorithms.length > 1) field.at('maglev').error('DR_HASH_ALGORITHM_ONEOF', 'set either ringHash or maglev, not both')
  if (readObject(field.at('ringHash'), ['minimumRingSize'])) readInt(field.at('ringHash').at('minimumRingSize'), { min: 0 })
  if (readObject(field.at('maglev'), ['tableSize'])) validateMaglevTableSize(field.at('maglev').at('tableSize'))

  const minimumRingSize = readInt(field.at('minimumRingSize'), { min: 0 })
  if (minimumRingSize !== undefined && minimumRingSize !== 0) {
    field.at('minimumRingSize').warn('DR_MIN_RING_SIZE_DEPRECATED', 'consistentHash.minimumRingSize is deprecated; use ringHash: {minimumRingSize: …}')
    if (algorithms.length > 0) {
      field.at('minimumRingSize').error('DR_MIN_RING_SIZE_CONFLICT', `minimumRingSize cannot be combined with ${algorithms[0]}; move it into ringHash.minimumRingSize`)
    }
  }
}

function validateMaglevTableSize(field: Field): void {
  const size = readInt(field, { min: 0 })
  if (size === undefined && field.present) return
  if (size === undefined || size === 0) {
    field.error('DR_MAGLEV_TABLE_SIZE', `tableSize must be set for maglev: a prime number below ${MAGLEV_TABLE_SIZE_LIMIT}, e.g. ${MAGLEV_DEFAULT_TABLE_SIZE}`)
  } else if (size >= MAGLEV_TABLE_SIZE_LIMIT) {
    field.error('DR_MAGLEV_TABLE_SIZE', `tableSize must be less than ${MAGLEV_TABLE_SIZE_LIMIT}, got ${size}`)
  } else if (!isPrime(size)) {
    field.error('DR_MAGLEV_TABLE_SIZE', `tableSize must be a prime number, got ${size} (Envoy's default is ${MAGLEV_DEFAULT_TABLE_SIZE})`)
  }
}

/** Envoy's primality test, which Istio reuses: 1, 2 and 3 count as prime. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true
  if (x % 2 === 0) return false
  const limit = Math.floor(Math.sqrt(x))
  for (let factor = 3; factor <= limit; factor += 2) if (x % factor === 0) return false
  return true
}

/**
 * `httpCookie`: name required; ttl is any duration, `0s` meaning a session cookie (the CRD does
 * not apply the ≥1ms rule here); attribute names non-empty and unique.
 */
function validateHttpCookie(field: Field): void {
  if (!readObject(field, ['name', 'path', 'ttl', 'attributes'])) return
  readRequiredString(field.at('name'), 'httpCookie.name is required: the cookie whose value is hashed')
  readString(field.at('path'))
  const ttl = readString(field.at('ttl'))
  if (ttl !== undefined) {
    const parsed = parseGoDuration(ttl)
    if ('error' in parsed) field.at('ttl').error('DURATION', `${parsed.error}; write a Go duration such as "0s" (session cookie) or "1h"`)
    else if (parsed.ns < 0) field.at('ttl').warn('DURATION', `a negative cookie ttl ${JSON.stringify(ttl)} makes little sense; use "0s" for a session cookie`)
  }
  const seen = new Set<string>()
  for (const attribute of readList(field.at('attributes'))) {
    if (!readObject(attribute, ['name', 'value'])) continue
    readString(attribute.at('value'))
    const attributeName = readRequiredString(attribute.at('name'), 'a cookie attribute needs a non-empty name, e.g. {name: SameSite, value: Strict}')
    if (attributeName === undefined) continue
    if (seen.has(attributeName)) attribute.at('name').error('DR_COOKIE_ATTRIBUTE_DUPLICATE', `cookie attribute "${attributeName}" is listed twice; attribute names must be unique`)
    seen.add(attributeName)
  }
}
