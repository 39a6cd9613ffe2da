import { MeshError } from '@meshlet/core'
import { validateDiscoveryOptions } from '../discovery/validate-options.js'
import type { CreateMeshOptions } from './options.js'

/**
 * Checks the shape of createMesh options that are not rules (those go through the rules
 * validator), so a typo fails at startup with the option named, not at the first request.
 */
export function validateOptions(options: CreateMeshOptions): void {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object')
  if (options.files !== undefined && !(Array.isArray(options.files) && options.files.every((file) => typeof file === 'string'))) {
    throw invalid('files', 'an array of file or folder paths')
  }
  if (options.snapshot !== undefined) {
    if (typeof options.snapshot !== 'string' || options.snapshot === '') throw invalid('snapshot', 'the path of a file written by `meshlet compile`')
    const also = (['files', 'yaml', 'resources'] as const).filter((name) => options[name] !== undefined)
    if (also.length > 0) throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createMesh: option snapshot replaces ${also.join(' and ')}; give the rules either as a precompiled snapshot or as ${also.join('/')}, not both`)
    // Live sources compile their rules with the files on every change; a precompiled file has no parser to do that.
    const live = (['kubernetes', 'etcd'] as const).filter((name) => options[name] !== undefined)
    if (live.length > 0) throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createMesh: option snapshot cannot be combined with ${live.join(' and ')}: rules from a live source are compiled with the rule files on every change; give the rules as files (or yaml/resources) instead of a precompiled snapshot`)
  }
  for (const name of ['namespace', 'locality', 'domain'] as const) {
    const value = options[name]
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalid(name, 'a non-empty string')
  }
  if (options.clock !== undefined && (typeof options.clock.now !== 'function' || typeof options.clock.setTimeout !== 'function')) {
    throw invalid('clock', 'a Clock (now, setTimeout, clearTimeout)')
  }
  if (options.random !== undefined && typeof options.random !== 'function') throw invalid('random', 'a function returning a number in [0, 1)')
  if (options.endpoints !== undefined) {
    if (typeof options.endpoints !== 'object' || options.endpoints === null) throw invalid('endpoints', 'an object of host → endpoint list')
    for (const [host, list] of Object.entries(options.endpoints)) {
      if (!Array.isArray(list)) throw invalid(`endpoints["${host}"]`, 'an array of { address, port?, labels? }')
      list.forEach((endpoint, index) => {
        const where = `endpoints["${host}"][${index}]`
        if (typeof endpoint?.address !== 'string' || endpoint.address === '') throw invalid(`${where}.address`, 'a non-empty string')
        if (endpoint.port !== undefined && !(Number.isInteger(endpoint.port) && endpoint.port >= 1 && endpoint.port <= 65535)) {
          throw invalid(`${where}.port`, 'an integer port 1..65535')
        }
        if (endpoint.weight !== undefined && !(typeof endpoint.weight === 'number' && endpoint.weight >= 0)) throw invalid(`${where}.weight`, 'a number ≥ 0')
      })
    }
  }
  validateDiscoveryOptions(options.kubernetes, options.etcd)
}

function invalid(option: string, expected: string): MeshError {
  return new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `createMesh: option ${option} must be ${expected}`)
}
