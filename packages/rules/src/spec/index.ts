export type * from './common.js'
export type * from './virtual-service.js'
export type * from './destination-rule.js'
export type * from './service-entry.js'
