/**
 * ASCII case-insensitive comparisons that do not allocate (no toLowerCase per request). Envoy's
 * `case_sensitive: false` path matching folds ASCII letters only, so this is the same rule.
 */

function foldAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code
}

export function equalsIgnoreAsciiCase(input: string, loweredPattern: string): boolean {
  if (input.length !== loweredPattern.length) return false
  return startsWithIgnoreAsciiCase(input, loweredPattern)
}

export function startsWithIgnoreAsciiCase(input: string, loweredPrefix: string): boolean {
  if (input.length < loweredPrefix.length) return false
  for (let i = 0; i < loweredPrefix.length; i++) {
    if (foldAscii(input.charCodeAt(i)) !== loweredPrefix.charCodeAt(i)) return false
  }
  return true
}

export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase())
}
