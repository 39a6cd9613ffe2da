import { MeshError } from '@meshlet/core'

/** The file is not JSON, is cut short, or a value in it is not what meshlet writes. */
export function corruptSnapshot(file: string, what: string): MeshError {
  return new MeshError('MESHLET_ERR_SNAPSHOT_CORRUPT', `${file}: corrupt precompiled snapshot: ${what}; write it again with \`meshlet compile <rules> -o ${file}\``)
}

/** Valid JSON, but not a file `meshlet compile` wrote. */
export function foreignSnapshot(file: string, what: string): MeshError {
  return new MeshError('MESHLET_ERR_SNAPSHOT_FOREIGN', `${file}: not a meshlet precompiled snapshot (${what}); write one with \`meshlet compile <rules> -o ${file}\``)
}

/** Written by another version of meshlet, or its rule files changed since. */
export function staleSnapshot(file: string, what: string): MeshError {
  return new MeshError('MESHLET_ERR_SNAPSHOT_STALE', `${file}: stale precompiled snapshot: ${what}; compile it again with \`meshlet compile <rules> -o ${file}\``)
}
