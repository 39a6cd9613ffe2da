import type { Field } from '../field.js'
import { readInt, readObject, readString } from '../common/read.js'
import { readDuration } from '../common/duration.js'
import { readPercent } from '../common/percent.js'
import { INT32_MAX } from '../common/int32.js'
import { HTTP_STATUS_RANGE } from '../common/http-status.js'
import { GRPC_STATUS_CODES } from '../common/grpc-status.js'

/**
 * `HTTPFaultInjection` (`validation.go` validateHTTPFaultInjection*): a delay and/or an abort
 * (`fault: {}` is rejected). Percentages are 0 or within [0.0001, 100]; without one, Envoy injects
 * the fault into no request (the proto default is 0), which meshlet points out as a warning.
 */
export function validateFault(field: Field): void {
  if (!readObject(field, ['delay', 'abort'], 'an object like {delay: {fixedDelay: 5s, percentage: {value: 10}}}')) return
  if (!field.at('delay').present && !field.at('abort').present) {
    field.error('FAULT_EMPTY', 'fault injection needs a delay and/or an abort; remove fault if none is wanted')
  }
  validateDelay(field.at('delay'))
  validateAbort(field.at('abort'))
}

function validateDelay(field: Field): void {
  if (!readObject(field, ['fixedDelay', 'exponentialDelay', 'percentage', 'percent'], 'an object like {fixedDelay: 5s, percentage: {value: 10}}')) return
  if (field.at('fixedDelay').present && field.at('exponentialDelay').present) {
    field.at('exponentialDelay').error('ONEOF_CONFLICT', 'set either fixedDelay or exponentialDelay, not both')
  }
  readDuration(field.at('fixedDelay'))
  const exponential = field.at('exponentialDelay')
  if (exponential.present) {
    readDuration(exponential)
    exponential.error('FAULT_EXPONENTIAL_DELAY_UNSUPPORTED', 'exponentialDelay is not supported by Istio; use fixedDelay')
  }
  readPercent(field.at('percentage'))
  const percent = field.at('percent')
  if (percent.present && readInt(percent, { min: -INT32_MAX - 1, max: INT32_MAX }) !== undefined) {
    percent.warn('DEPRECATED', 'delay.percent is deprecated; use percentage: {value: N}')
  }
  if (!field.at('percentage').present && !percent.present) {
    field.warn('FAULT_PERCENTAGE_MISSING', 'no percentage is set, so no request is delayed; add percentage: {value: 100} to delay every request')
  }
}

function validateAbort(field: Field): void {
  if (!readObject(field, ['httpStatus', 'grpcStatus', 'http2Error', 'percentage'], 'an object like {httpStatus: 503, percentage: {value: 10}}')) return
  const types = (['httpStatus', 'grpcStatus', 'http2Error'] as const).filter((key) => field.at(key).present)
  if (types.length > 1) field.error('ONEOF_CONFLICT', `set only one of httpStatus, grpcStatus or http2Error (got ${types.join(' and ')})`)
  if (types.length === 0) {
    field.warn('FAULT_ABORT_TYPE_MISSING', 'abort has no httpStatus or grpcStatus, so it does nothing; add httpStatus: 503 for example')
  }
  const statusField = field.at('httpStatus')
  const status = readInt(statusField, { min: -INT32_MAX - 1, max: INT32_MAX })
  if (status !== undefined && (status < HTTP_STATUS_RANGE.min || status > HTTP_STATUS_RANGE.max)) {
    statusField.error('HTTP_STATUS_INVALID', `HTTP status ${status} is out of range; use ${HTTP_STATUS_RANGE.min}..599`)
  }
  const grpcField = field.at('grpcStatus')
  const grpc = readString(grpcField)
  if (grpc !== undefined && !Object.hasOwn(GRPC_STATUS_CODES, grpc)) {
    grpcField.error('GRPC_STATUS_INVALID', `gRPC status "${grpc}" is not supported; use a status name such as UNAVAILABLE or NOT_FOUND (not a number)`)
  }
  const http2Error = field.at('http2Error')
  if (http2Error.present) {
    readString(http2Error)
    http2Error.error('FAULT_HTTP2_ERROR_UNSUPPORTED', 'HTTP/2 error aborts are not supported by Istio; use httpStatus or grpcStatus')
  }
  readPercent(field.at('percentage'))
  if (!field.at('percentage').present) {
    field.warn('FAULT_PERCENTAGE_MISSING', 'no percentage is set, so no request is aborted; add percentage: {value: 100} to abort every request')
  }
}
