import type { Field } from '../field.js'
import { readInt, readObject, readString, UINT32_MAX } from '../common/read.js'
import { HTTP_STATUS_RANGE } from '../common/http-status.js'

/** Body size limits of Istio's webhook (`validation.go` validateHTTPDirectResponse). */
const DIRECT_RESPONSE_BODY_LIMITS = { warnAboveBytes: 100 * 1024, maxBytes: 1024 * 1024 } as const

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * `HTTPDirectResponse`: `status` is required and within 200..600; `body` is a oneof of `string` or
 * `bytes` (base64); a body above 100 KiB warns and above 1 MiB is rejected.
 */
export function validateDirectResponse(field: Field): void {
  if (!readObject(field, ['status', 'body'], 'an object like {status: 503, body: {string: "unavailable"}}')) return
  const statusField = field.at('status')
  if (!statusField.present) {
    statusField.error('REQUIRED', 'directResponse.status is required, e.g. status: 503')
  } else {
    const status = readInt(statusField, { min: 0, max: UINT32_MAX })
    if (status !== undefined && (status < HTTP_STATUS_RANGE.min || status > HTTP_STATUS_RANGE.max)) {
      statusField.error('HTTP_STATUS_INVALID', `HTTP status ${status} is out of range; use ${HTTP_STATUS_RANGE.min}..599`)
    }
  }
  const body = field.at('body')
  if (!readObject(body, ['string', 'bytes'], 'an object like {string: "text"} or {bytes: "base64…"}')) return
  if (body.at('string').present && body.at('bytes').present) {
    body.error('ONEOF_CONFLICT', 'set either body.string or body.bytes, not both')
    return
  }
  let sizeBytes: number | undefined
  const text = readString(body.at('string'))
  if (text !== undefined) sizeBytes = Buffer.byteLength(text, 'utf8')
  const bytesField = body.at('bytes')
  const encoded = readString(bytesField)
  if (encoded !== undefined) {
    if (!BASE64.test(encoded)) bytesField.error('TYPE', 'body.bytes must be base64 encoded; use body.string for plain text')
    else sizeBytes = Buffer.from(encoded, 'base64').length
  }
  if (sizeBytes === undefined) return
  const sizeField = text !== undefined ? body.at('string') : bytesField
  if (sizeBytes > DIRECT_RESPONSE_BODY_LIMITS.maxBytes) {
    sizeField.error('BODY_TOO_LARGE', `the body is ${sizeBytes} bytes; direct responses must be at most 1 MiB`)
  } else if (sizeBytes > DIRECT_RESPONSE_BODY_LIMITS.warnAboveBytes) {
    sizeField.warn('BODY_LARGE', `the body is ${sizeBytes} bytes; direct responses above 100 KiB slow configuration down`)
  }
}
