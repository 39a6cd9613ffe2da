/**
 * HTTP header names and values as Istio's webhook checks them (`istio:pkg/config/validation/validation.go`,
 * `header_value_validator.go`). Each function returns an error message or undefined.
 */

/** RFC 7230 token characters (`validation.go` validHeaderNameRegex): uppercase is accepted. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/

/** Pseudo-headers a match may name (RFC 7540 §8.1.2.3, `validation.go` pseudoHeaders). */
const MATCHABLE_PSEUDO_HEADERS: ReadonlySet<string> = new Set([':method', ':scheme', ':authority', ':path', ':status'])

/** `@request.auth.claims.<name>` or `@request.auth.claims[<a>][<b>]` (`istio:pkg/jwt` ToRoutingClaim). */
const JWT_CLAIM_PREFIX = '@request.auth.claims'

/** Control characters a header value may not contain; tab is allowed (`validation.go` httpHeaderValueRegexp). */
const HEADER_VALUE_FORBIDDEN = /[\u0000-\u0008\u000A-\u001F\u007F]/

/**
 * Characters Node's HTTP client refuses in a header value (it writes headers as Latin-1). Envoy
 * would send such text as UTF-8; meshlet cannot, so it refuses the rule instead of every call.
 */
const BEYOND_LATIN1 = /[^\u0000-\u00FF]/u

export function isJwtClaimHeader(name: string): boolean {
  if (!name.toLowerCase().startsWith(JWT_CLAIM_PREFIX)) return false
  const rest = name.slice(JWT_CLAIM_PREFIX.length)
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2)
}

export function checkHeaderToken(name: string): string | undefined {
  if (name === '') return 'header name must not be empty'
  if (!HEADER_TOKEN.test(name)) return `"${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces or colons)`
  return undefined
}

/** A header name in a match (`ValidateHTTPHeaderNameOrJwtClaimRoute`): a token, a pseudo-header or a JWT claim. */
export function checkMatchHeaderName(name: string): string | undefined {
  if (name !== '' && (isJwtClaimHeader(name) || MATCHABLE_PSEUDO_HEADERS.has(name))) return undefined
  return checkHeaderToken(name)
}

/** A CORS allow/expose header (`ValidateCORSHTTPHeaderName`): a token or `*`. */
export function checkCorsHeaderName(name: string): string | undefined {
  return name === '*' ? undefined : checkHeaderToken(name)
}

export function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase()
  return lower === ':authority' || lower === 'host'
}

/**
 * A header value Envoy can parse as a custom header format: no control characters, `%` escaped as
 * `%%` unless it starts a `%VARIABLE%` or `%VARIABLE(args)%` (Envoy `header_parser.cc`, ported by
 * Istio as validateHeaderValue). `100%%` and `%HOSTNAME%` pass; `abc%123` and `%START_TIME%%` do not.
 */
export function checkHeaderValue(value: string): string | undefined {
  if (HEADER_VALUE_FORBIDDEN.test(value)) {
    return `header value ${JSON.stringify(value)} must not contain control characters (other than tab): a CR or LF would inject headers, and Envoy refuses NUL, CR and LF`
  }
  const wide = BEYOND_LATIN1.exec(value)
  if (wide) {
    const code = `U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    return `header value ${JSON.stringify(value)} contains "${wide[0]}" (${code}); Node's HTTP client refuses header characters above U+00FF, so every call this applies to would fail; write it in ASCII (for example percent-encoded)`
  }
  const problem = checkEnvoyHeaderFormat(value)
  return problem ? `header value ${JSON.stringify(value)} is invalid: ${problem}` : undefined
}

type ParserState = 'literal' | 'name' | 'expectArray' | 'expectString' | 'string' | 'expectDelimiter' | 'expectArgsEnd' | 'expectVariableEnd'

function checkEnvoyHeaderFormat(value: string): string | undefined {
  let state: ParserState = 'literal'
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos]!
    const hasNext = pos + 1 < value.length
    switch (state) {
      case 'literal':
        if (ch !== '%') break
        if (!hasNext) return 'a lone "%" must be written "%%"'
        if (value[pos + 1] === '%') pos++
        else state = 'name'
        break
      case 'name':
        if (ch === '%') state = 'literal'
        else if (ch === '(') state = 'expectArray'
        break
      case 'expectArray':
        if (ch === '[') state = 'expectString'
        else if (ch !== ' ') state = 'string'
        break
      case 'expectDelimiter':
        if (ch === ',') state = 'expectString'
        else if (ch === ']') state = 'expectArgsEnd'
        else if (ch !== ' ') return `expected ',', ']' or a space in the variable arguments, found '${ch}'`
        break
      case 'expectString':
        if (ch === '"') state = 'string'
        else if (ch !== ' ') return `expected '"' in the variable arguments, found '${ch}'`
        break
      case 'string':
        if (ch === '\\') {
          if (!hasNext) return 'unterminated backslash in the variable arguments'
          pos++
        } else if (ch === ')') state = 'expectVariableEnd'
        else if (ch === '"') state = 'expectDelimiter'
        break
      case 'expectArgsEnd':
        if (ch === ')') state = 'expectVariableEnd'
        else if (ch !== ' ') return `expected ')' after the variable arguments, found '${ch}'`
        break
      case 'expectVariableEnd':
        if (ch === '%') state = 'literal'
        else if (ch !== ' ') return `expected '%' to close the variable, found '${ch}'`
        break
    }
  }
  return state === 'literal' ? undefined : 'unterminated %VARIABLE% (write a literal "%" as "%%")'
}
