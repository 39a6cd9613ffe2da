// Imports a workspace package by name (linked by `pnpm install`), falling back to its built dist/
// when the link is missing, so the benchmarks also run in a checkout that was built but whose
// benchmarks/ folder was not installed. `pnpm bench` builds first.
export async function importWorkspace(name, distIndexFromHere) {
  try {
    return await import(name)
  } catch (error) {
    const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`'${name}'`)
    if (!missing) throw error
    return import(new URL(distIndexFromHere, import.meta.url).href)
  }
}

/** A module of a package's build that the package does not export (to time one phase alone). */
export function importDist(pathFromHere) {
  return import(new URL(pathFromHere, import.meta.url).href)
}

export const rules = await importWorkspace('@meshlet/rules', '../../packages/rules/dist/index.js')
export const core = await importWorkspace('@meshlet/core', '../../packages/core/dist/index.js')
