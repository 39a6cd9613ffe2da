/**
 * HTTP status codes Go's `net/http.StatusText` knows. Istio accepts an integer `retryOn` token only
 * when it is one of these (`validation.go` validateHTTPRetry); 306, 419, 499 or 600 are rejected.
 * Source: `go:src/net/http/status.go`.
 */
const GO_REGISTERED_HTTP_STATUS: ReadonlySet<number> = new Set([
  100, 101, 102, 103,
  200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
  300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
  421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
])

export function isRegisteredHttpStatus(code: number): boolean {
  return GO_REGISTERED_HTTP_STATUS.has(code)
}

/**
 * Go's strconv.Atoi on a retryOn token: an optional sign and decimal digits, otherwise no number
 * (Istio then reads it as 0, which is not a status).
 */
export function parseStatusToken(token: string): number | undefined {
  return /^[+-]?\d{1,10}$/.test(token) ? Number(token) : undefined
}

/** Bounds Istio's webhook puts on abort.httpStatus and directResponse.status (`validateHTTPStatus`: 600 passes). */
export const HTTP_STATUS_RANGE = { min: 200, max: 600 } as const
