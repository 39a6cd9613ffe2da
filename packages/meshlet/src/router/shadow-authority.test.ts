import { describe, expect, it } from 'vitest'
import { shadowAuthority } from './shadow-authority.js'

describe('shadowAuthority', () => {
  it('appends -shadow to the host, before any port', () => {
    expect(shadowAuthority('reviews')).toBe('reviews-shadow')
    expect(shadowAuthority('reviews:9080')).toBe('reviews-shadow:9080')
    expect(shadowAuthority('[::1]:80')).toBe('[::1]-shadow:80')
  })
})
