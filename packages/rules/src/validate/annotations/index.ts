import type { ValidationInput } from '../context.js'

/** Validates `meshlet.io/*` annotations (meshlet's extensions; Istio ignores them). */
export function validateMeshletAnnotations(_input: ValidationInput): void {}
