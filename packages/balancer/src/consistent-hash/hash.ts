/**
 * String hashing for consistent hashing, written for JavaScript numbers: a MurmurHash3-style 32-bit
 * mix over UTF-16 code units (two per block), and a 53-bit hash built from two differently seeded
 * lanes (53 bits is what a double holds exactly; enough for ring positions, where collisions among
 * a few million entries are negligible). Not compatible with Envoy's xxHash64: the same key may land
 * on a different host than in Envoy, but always on the same host in meshlet.
 */
const C1 = 0xcc9e2d51
const C2 = 0x1b873593
const HIGH_SEED = 0x9747b28c
const LOW_SEED = 0x2f693b5b
const TWO_POW_32 = 4294967296

export function hash32(text: string, seed: number): number {
  let state = seed | 0
  const length = text.length
  let index = 0
  for (; index + 1 < length; index += 2) {
    state ^= scramble(text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16))
    state = (state << 13) | (state >>> 19)
    state = (Math.imul(state, 5) + 0xe6546b64) | 0
  }
  if (index < length) state ^= scramble(text.charCodeAt(index))
  state ^= length << 1
  return finalize(state)
}


/** A hash in [0, 2^53): hash32 with two seeds, computed in one pass over the text. */
export function hash53(text: string): number {
  let high = HIGH_SEED | 0
  let low = LOW_SEED | 0
  const length = text.length
  let index = 0
  for (; index + 1 < length; index += 2) {
    const block = scramble(text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16))
    high ^= block
    high = (high << 13) | (high >>> 19)
    high = (Math.imul(high, 5) + 0xe6546b64) | 0
    low ^= block
    low = (low << 13) | (low >>> 19)
    low = (Math.imul(low, 5) + 0xe6546b64) | 0
  }
  if (index < length) {
    const block = scramble(text.charCodeAt(index))
    high ^= block
    low ^= block
  }
  high ^= length << 1
  low ^= length << 1
  return (finalize(high) & 0x1fffff) * TWO_POW_32 + finalize(low)
}

/** A uniformly random position on the same scale as hash53 (for requests without a hash key). */
export function randomHash53(random: () => number): number {
  return Math.floor(random() * 0x200000) * TWO_POW_32 + Math.floor(random() * TWO_POW_32)
}

function scramble(block: number): number {
  let value = Math.imul(block, C1)
  value = (value << 15) | (value >>> 17)
  return Math.imul(value, C2)
}

/** Avalanche step so every input bit affects every output bit. */
function finalize(value: number): number {
  let state = value
  state ^= state >>> 16
  state = Math.imul(state, 0x85ebca6b)
  state ^= state >>> 13
  state = Math.imul(state, 0xc2b2ae35)
  state ^= state >>> 16
  return state >>> 0
}
