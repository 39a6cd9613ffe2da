export { DiscoveryRuntime, noEtcd } from './runtime.js'
export type { RegisterOptions, Registration, DiscoveryTarget, DiscoveryEnvironment } from './runtime.js'
export type { DiscoveryEvents } from './events.js'
export { validateDiscoveryOptions } from './validate-options.js'
