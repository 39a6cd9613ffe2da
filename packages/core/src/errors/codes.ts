/**
 * Every stable error code meshlet uses, with a one-line meaning. docs/errors.md has a section per
 * code; a test keeps the two in step. Add a code here first, then document it.
 */
export const MESH_ERROR_CODES = {
  MESHLET_ERR_ADMIN_BIND_REFUSED: 'The admin server was asked to listen on an address other than loopback without allowNonLoopback: true.',
  MESHLET_ERR_CONFIG_INVALID: 'Istio resources failed validation; the error lists every problem with file:line:col and field path.',
  MESHLET_ERR_CONFIG_PARSE: 'A file is not valid YAML or JSON, or a document is not a Kubernetes object.',
  MESHLET_ERR_CONFIG_READ: 'A rules file or folder could not be read.',
  MESHLET_ERR_DISCOVERY_PERMISSION_DENIED: 'The Kubernetes API server (401/403) or etcd refused a discovery request; the error names the resource and the permission to grant.',
  MESHLET_ERR_DISCOVERY_SYNC_TIMEOUT: 'A discovery source (Kubernetes, etcd) did not complete its first full sync within syncTimeoutMs, so createMesh gave up.',
  MESHLET_ERR_DISCOVERY_UNREACHABLE: 'A discovery source (Kubernetes API server, etcd) could not be reached or answered something unexpected.',
  MESHLET_ERR_KUBECONFIG_INVALID: 'No usable Kubernetes credentials: the kubeconfig is missing, unreadable or malformed, or names a context, cluster or user it does not define.',
  MESHLET_ERR_REGISTRATION_FAILED: 'mesh.register could not write its WorkloadEntry: the mesh has no etcd option, or etcd did not take the write in time.',
  MESHLET_ERR_CLI_USAGE: 'The meshlet command line was given arguments it does not understand (exit code 2).',
  MESHLET_ERR_GATEWAY_LISTEN: 'gateway.listen() could not bind a port its Gateway declares (in use, or not permitted); the message names the port.',
  MESHLET_ERR_GATEWAY_NOT_FOUND: 'createGateway was given a Gateway (namespace/name or selector labels) that the rules do not define.',
  MESHLET_ERR_GATEWAY_TLS: 'A Gateway server that terminates TLS cannot be served: no certificate files (a Kubernetes Secret reference), an unreadable file, or a mode meshlet does not terminate.',
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
