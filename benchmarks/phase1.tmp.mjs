import { parseObjects, validateResources, analyzeResources } from '@meshlet/rules'
import { parse } from '../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js'
import { generateRules } from './rules/generate.mjs'
const { compileValidated } = await import('../packages/rules/dist/compile/index.js')
const text = generateRules(1000)
const objects = text.split('---\n').map((d) => parse(d))
const { resources } = parseObjects(objects, '<o>', { defaultNamespace: 'default' })
const phase = process.argv[2]
const f = { compile: () => compileValidated(resources, {}, []), validate: () => validateResources(resources), analyze: () => analyzeResources(resources, {}), parse: () => parseObjects(objects, '<o>', { defaultNamespace: 'default' }) }[phase]
for (let i = 0; i < 15; i++) f()
