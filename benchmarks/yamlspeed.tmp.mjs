import * as Y from '../node_modules/.pnpm/yaml@2.9.1/node_modules/yaml/dist/index.js'
import { generateRules } from './rules/generate.mjs'
const text = generateRules(1000)
console.log('bytes', text.length)
const time = (name, f) => { const t = []; for (let i = 0; i < 5; i++) { const s = performance.now(); f(); t.push(performance.now() - s) } t.sort((a, b) => a - b); console.log(name.padEnd(14), t.map((x) => x.toFixed(0)).join(' ')) }
time('lexer', () => { let n = 0; for (const _ of new Y.Lexer().lex(text)) n++ })
time('cst parser', () => { let n = 0; for (const _ of new Y.Parser().parse(text)) n++ })
time('compose', () => { let n = 0; for (const d of new Y.Composer().compose(new Y.Parser().parse(text))) n++ })
time('compose+toJS', () => { for (const d of new Y.Composer().compose(new Y.Parser().parse(text))) d.toJS() })
time('JSON', () => JSON.parse(JSON.stringify(text.split('---\n'))))
