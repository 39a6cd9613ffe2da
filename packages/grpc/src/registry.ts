import type { Mesh } from 'meshlet'

/** The meshes registered for `meshlet:` targets, by the target's authority ('' for `meshlet:///...`). */
const meshes = new Map<string, Mesh>()

export function meshOf(name: string): Mesh | undefined {
  return meshes.get(name)
}

export function setMesh(name: string, mesh: Mesh | undefined): void {
  if (mesh === undefined) meshes.delete(name)
  else meshes.set(name, mesh)
}
