import type { Random } from '@meshlet/core'
import type { HashKeyConfig } from '../config/config.js'
import type { PickContext } from '../balancer/context.js'
import { generateCookieValue } from './cookie.js'

/**
 * The string a consistent-hash policy hashes for one request, or undefined when the request does
 * not carry it (the balancer then picks at random, as Envoy does without a hash). A cookie policy
 * with a ttl generates the cookie instead and hands it to `context.setCookie` to be sent back.
 */
export function readHashKey<E>(key: HashKeyConfig, context: PickContext<E>, random: Random): string | undefined {
  switch (key.kind) {
    case 'header':
      return nonEmpty(context.header?.(key.name))
    case 'queryParameter':
      return nonEmpty(context.query?.(key.name))
    case 'sourceIp':
      return nonEmpty(context.sourceIp)
    case 'cookie': {
      const present = nonEmpty(context.cookie?.(key.name))
      if (present !== undefined || key.ttlMs === undefined) return present
      const value = generateCookieValue(random)
      context.setCookie?.({ name: key.name, value, path: key.path, ttlMs: key.ttlMs })
      return value
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
