import { createRequire } from 'node:module'

/**
 * Loads an npm package synchronously on first use, so that importing the rules does not load a
 * dependency only some rules need (re2js for regex matches, yaml for meshlet.io annotations). A
 * mesh whose rules use neither never loads them.
 */
export const requirePackage = createRequire(import.meta.url)
