/** A cookie the balancer generated for a request that had none; the caller sends it back. */
export interface GeneratedCookie {
  readonly name: string
  readonly value: string
  readonly path: string | undefined
  /** 0 = session cookie (no Max-Age). */
  readonly ttlMs: number
}

/**
 * The Set-Cookie header value, as Envoy writes it for a generated hash cookie: the value, Max-Age
 * in whole seconds unless it is a session cookie, Path when given, and HttpOnly.
 */
export function formatSetCookie(cookie: GeneratedCookie): string {
  let header = `${cookie.name}=${cookie.value}`
  const maxAgeSeconds = Math.floor(cookie.ttlMs / 1000)
  if (maxAgeSeconds > 0) header += `; Max-Age=${maxAgeSeconds}`
  if (cookie.path !== undefined && cookie.path !== '') header += `; Path=${cookie.path}`
  return `${header}; HttpOnly`
}

const HEX = '0123456789abcdef'

/** 16 hex digits from the injected random, so tests get the same value for the same seed. */
export function generateCookieValue(random: () => number): string {
  let value = ''
  for (let digit = 0; digit < 16; digit++) value += HEX[Math.floor(random() * 16)]
  return value
}
