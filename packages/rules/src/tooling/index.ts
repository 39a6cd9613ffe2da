/**
 * What reading and checking rules needs and a running mesh does not: the YAML parser, the
 * validator, cross-resource analysis, the fidelity report and the pipeline that chains them. The
 * package's index reaches it only through `loadTooling()`, so a mesh started from a precompiled
 * snapshot never loads it (in the bundle it is a chunk of its own).
 */
export { loadMeshConfig, compileMeshConfig, compileResources, checkMeshConfig, snapshotOrThrow } from '../pipeline.js'
export { loadResources, parseText, parseObjects, parseSourcedObjects } from '../source/index.js'
export { validateResource, validateResources } from '../validate/index.js'
export { analyzeResources } from '../analyze/index.js'
export { fidelity, assertFidelity, formatFidelity, FIELD_SUPPORT } from '../fidelity/index.js'
export { writeSnapshotFile } from '../snapshot-file/write.js'
