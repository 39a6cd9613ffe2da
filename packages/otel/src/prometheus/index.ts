export { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from './format.js'
export { escapeLabelValue, escapeHelp, formatSampleValue } from './escape.js'
