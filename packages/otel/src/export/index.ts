export { exportToMeter } from './meter-export.js'
export type { MeterExport } from './meter-export.js'
export { exportToGlobalMeter, MESHLET_METER_NAME } from './global-meter.js'
