import { describe, expect, it } from 'vitest'
import { DEFAULT_CASE_SEED, parseCaseFile } from './cases.js'

describe('parseCaseFile', () => {
  it('reads cases under `cases:` with their line, defaults and route shorthands', () => {
    const text = [
      'cases:',
      '  - name: jason sees v2',
      '    request: { url: "http://reviews/r/1", headers: { End-User: jason, x-n: 5 } }',
      '    expect: { route: 0 }',
      '  - name: by name',
      '    seed: 9',
      '    request: { method: POST, url: "http://reviews/r/1" }',
      '    expect: { route: canary, action: route }',
    ].join('\n')
    const { cases, problems } = parseCaseFile(text, 'cases.yaml')
    expect(problems).toEqual([])
    expect(cases).toHaveLength(2)
    expect(cases[0]).toMatchObject({ name: 'jason sees v2', line: 2, seed: DEFAULT_CASE_SEED, request: { method: 'GET', headers: { 'end-user': 'jason', 'x-n': '5' } }, expect: { route: { index: 0 } } })
    expect(cases[1]).toMatchObject({ line: 5, seed: 9, request: { method: 'POST' }, expect: { route: { name: 'canary' }, action: 'route' } })
  })

  it('also reads a list at the top level', () => {
    const { cases } = parseCaseFile('- name: a\n  request: { url: "http://a/" }\n  expect: { action: passthrough }\n', 'c.yaml')
    expect(cases.map((c) => c.name)).toEqual(['a'])
  })

  it('reports every problem with file, line, column and path, and runs no case', () => {
    const text = [
      'cases:',
      '  - name: ok',
      '    request: { url: "http://a/" }',
      '    expect: { action: route }',
      '  - request: { url: 42 }',
      '    expect: {}',
      '    expected: { action: route }',
      '  - name: ok',
      '    request: { url: "http://a/", header: { a: b } }',
      '    expect: { route: [1] }',
    ].join('\n')
    const { cases, problems } = parseCaseFile(text, 'c.yaml')
    expect(cases.map((c) => c.name)).toEqual(['ok'])
    expect(problems).toEqual([
      'c.yaml:7:5  cases[1].expected: unknown field; a case has name, request, expect, seed',
      'c.yaml:5:5  cases[1].name: every case needs a name (a sentence saying what it checks)',
      'c.yaml:5:21  cases[1].request.url: required: the full URL, e.g. http://reviews/reviews/1',
      'c.yaml:6:13  cases[1].expect: required: a map of the decision fields to check',
      'c.yaml:8:11  cases[2].name: another case is already named "ok"',
      'c.yaml:9:34  cases[2].request.header: unknown field; a request has method, url, headers',
      'c.yaml:10:22  cases[2].expect.route: must be an index, a name, a map {index, name} or null',
    ])
  })

  it('reports YAML syntax errors at their position', () => {
    const { problems } = parseCaseFile('cases:\n  - name: [unclosed\n', 'c.yaml')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^c\.yaml:\d+:\d+  /)
  })

  it('refuses a file that holds no list of cases', () => {
    expect(parseCaseFile('name: x\n', 'c.yaml').problems).toEqual(['c.yaml:1:1  cases: expected a list of cases (at the top level or under `cases:`)'])
    expect(parseCaseFile('cases: []\n', 'c.yaml').problems).toEqual(['c.yaml:1:8  cases: has no cases'])
  })
})
