export { startUpstream, startUpstreams } from './upstream.js'
export type { Upstream, UpstreamOptions } from './upstream.js'
export type { Answer, PlainAnswer, EchoBody } from './answer.js'
export type { RecordedRequest } from './recorded-request.js'
