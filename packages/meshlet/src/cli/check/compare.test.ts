import { describe, expect, it } from 'vitest'
import { compareExpected } from './compare.js'

const options = { resolveHost: (host: string) => (host.includes('.') ? host : `${host}.default.svc.cluster.local`) }
const decision = {
  action: 'route',
  virtualService: 'default/reviews',
  route: { index: 1, name: 'canary' },
  selected: { host: 'reviews.default.svc.cluster.local', subset: 'v1', port: null },
  destinations: [
    { host: 'reviews.default.svc.cluster.local', subset: 'v1', weight: 90 },
    { host: 'reviews.default.svc.cluster.local', subset: 'v3', weight: 10 },
  ],
  redirect: null,
  timeoutMs: 2000,
}

describe('compareExpected', () => {
  it('compares only the fields the case gives', () => {
    expect(compareExpected({ route: { index: 1 }, selected: { subset: 'v1' } }, decision, options)).toEqual([])
  })

  it('names the path, the expected and the actual value of each difference', () => {
    expect(compareExpected({ route: { index: 0 }, selected: { subset: 'v2' }, timeoutMs: 2000 }, decision, options)).toEqual([
      { path: 'route.index', expected: 0, actual: 1 },
      { path: 'selected.subset', expected: 'v2', actual: 'v1' },
    ])
  })

  it('fails a field the decision does not have, so a typo cannot pass', () => {
    expect(compareExpected({ selectd: { subset: 'v1' } }, decision, options)).toEqual([
      { path: 'selectd', expected: { subset: 'v1' }, actual: undefined, note: 'the decision has no such field' },
    ])
  })

  it('expands short host names before comparing them', () => {
    expect(compareExpected({ selected: { host: 'reviews' } }, decision, options)).toEqual([])
    expect(compareExpected({ selected: { host: 'ratings' } }, decision, options)).toHaveLength(1)
  })

  it('compares lists item by item and requires the same length', () => {
    expect(compareExpected({ destinations: [{ subset: 'v1', weight: 90 }, { subset: 'v3' }] }, decision, options)).toEqual([])
    expect(compareExpected({ destinations: [{ subset: 'v1' }] }, decision, options)[0]).toMatchObject({ path: 'destinations', note: 'expected 1 item(s), got 2' })
    expect(compareExpected({ destinations: [{ subset: 'v1' }, { weight: 20 }] }, decision, options)).toEqual([{ path: 'destinations[1].weight', expected: 20, actual: 10 }])
  })

  it('treats null as "absent" and does not confuse a number with its text', () => {
    expect(compareExpected({ redirect: null, selected: { port: null } }, decision, options)).toEqual([])
    expect(compareExpected({ route: null }, decision, options)).toHaveLength(1)
    expect(compareExpected({ timeoutMs: '2000' }, decision, options)).toEqual([{ path: 'timeoutMs', expected: '2000', actual: 2000 }])
  })
})
