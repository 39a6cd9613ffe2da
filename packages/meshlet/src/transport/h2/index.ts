export { createH2Transport } from './transport.js'
export { H2PoolRegistry } from './pools.js'
