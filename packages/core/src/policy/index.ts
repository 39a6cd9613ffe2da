export { UNLIMITED, isLimited } from './limits.js'
