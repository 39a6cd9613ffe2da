import { createRequire } from 'node:module'

/**
 * Loads an npm package synchronously on first use, so that importing the rules does not load a
 * dependency only some rules need (re2js, for regex matches): a mesh whose rules have no regex
 * never loads it. (The yaml library is loaded the same way, through source/load-yaml.ts.)
 */
export const requirePackage = createRequire(import.meta.url)
