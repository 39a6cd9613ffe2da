export { loadSnapshotFile, parseSnapshotText } from './read.js'
export type { SnapshotLoadOptions } from './read.js'
export { SNAPSHOT_FILE_FORMAT, SNAPSHOT_FILE_VERSION, RULES_COMPILER_VERSION } from './format.js'
export type { SnapshotFile, SnapshotResource, SnapshotSource } from './format.js'
