/**
 * Every stable error code meshlet uses, with a one-line meaning. docs/errors.md has a section per
 * code; a test keeps the two in step. Add a code here first, then document it.
 */
export const MESH_ERROR_CODES = {
  MESHLET_ERR_ADMIN_BIND_REFUSED: 'The admin server was asked to listen on an address other than loopback without allowNonLoopback: true.',
  MESHLET_ERR_CONFIG_INVALID: 'Istio resources failed validation; the error lists every problem with file:line:col and field path.',
  MESHLET_ERR_CONFIG_PARSE: 'A file is not valid YAML or JSON, or a document is not a Kubernetes object.',
  MESHLET_ERR_CONFIG_READ: 'A rules file or folder could not be read.',
  MESHLET_ERR_CLI_USAGE: 'The meshlet command line was given arguments it does not understand (exit code 2).',
  MESHLET_ERR_FIDELITY_STRICT: 'Strict mode: a field in use is one meshlet ignores.',
  MESHLET_ERR_INVALID_ARGUMENT: 'An argument passed to a meshlet API is out of range or of the wrong type.',
  MESHLET_ERR_INVALID_REQUEST: 'A request given to explain() or mesh.fetch cannot be understood (bad URL or method).',
  MESHLET_ERR_MESH_CLOSED: 'mesh.fetch was called after mesh.close().',
  MESHLET_ERR_SNAPSHOT_CORRUPT: 'A precompiled snapshot file (createMesh({ snapshot })) is not JSON, is cut short, or holds a value meshlet does not write.',
  MESHLET_ERR_SNAPSHOT_FOREIGN: 'A file given as a precompiled snapshot is JSON but not one `meshlet compile` wrote.',
  MESHLET_ERR_SNAPSHOT_STALE: 'A precompiled snapshot was written by another meshlet version, or its rule files changed since it was compiled.',
  MESHLET_ERR_STATE_INVALID: 'Saved resilience state (breakers, ejections) given to restore is malformed or of an unknown version.',
  MESHLET_ERR_UPSTREAM_FAILURE: 'A try ended without an upstream response (connect failure, reset, timeout); the mesh answers 503/504 unless the caller aborted.',
} as const

export type MeshErrorCode = keyof typeof MESH_ERROR_CODES
