import type * as Tooling from './index.js'
import { loadTooling } from './load.js'

// The tooling functions the package exports, each loading the tooling module on its first call.
// Their signatures are the tooling module's own.

export const loadMeshConfig: typeof Tooling.loadMeshConfig = (input) => loadTooling().loadMeshConfig(input)
export const compileMeshConfig: typeof Tooling.compileMeshConfig = (input) => loadTooling().compileMeshConfig(input)
export const checkMeshConfig: typeof Tooling.checkMeshConfig = (input) => loadTooling().checkMeshConfig(input)
export const compileResources: typeof Tooling.compileResources = (...args) => loadTooling().compileResources(...args)
export const loadResources: typeof Tooling.loadResources = (input) => loadTooling().loadResources(input)
export const parseText: typeof Tooling.parseText = (...args) => loadTooling().parseText(...args)
export const parseObjects: typeof Tooling.parseObjects = (...args) => loadTooling().parseObjects(...args)
export const parseSourcedObjects: typeof Tooling.parseSourcedObjects = (...args) => loadTooling().parseSourcedObjects(...args)
export const snapshotOrThrow: typeof Tooling.snapshotOrThrow = (result) => loadTooling().snapshotOrThrow(result)
export const validateResource: typeof Tooling.validateResource = (resource) => loadTooling().validateResource(resource)
export const validateResources: typeof Tooling.validateResources = (resources) => loadTooling().validateResources(resources)
export const analyzeResources: typeof Tooling.analyzeResources = (...args) => loadTooling().analyzeResources(...args)
export const fidelity: typeof Tooling.fidelity = (...args) => loadTooling().fidelity(...args)
export const assertFidelity: typeof Tooling.assertFidelity = (...args) => loadTooling().assertFidelity(...args)
export const formatFidelity: typeof Tooling.formatFidelity = (...args) => loadTooling().formatFidelity(...args)
export const writeSnapshotFile: typeof Tooling.writeSnapshotFile = (...args) => loadTooling().writeSnapshotFile(...args)
