import { describe, expect, it } from 'vitest'
import { checkLocalityPattern, findLocalityProblems } from './locality.js'

describe('locality patterns', () => {
  it('accepts region, zone and subzone with one trailing wildcard', () => {
    expect(['us-east', 'us-east/*', 'us-east/zone1/*', 'us-east/zone1/rack-7', '*'].map(checkLocalityPattern)).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  it('rejects an empty segment and a wildcard that is not last', () => {
    expect(checkLocalityPattern('us-east//rack')).toContain('empty region, zone or subzone')
    expect(checkLocalityPattern('*/zone1')).toContain('only at the end')
    expect(checkLocalityPattern('us-*/*')).toContain('at most one "*"')
  })

  it('finds a zone listed after its whole region, by index', () => {
    expect(findLocalityProblems(['us-west', 'us-east', 'us-east/zone1'])).toEqual([{ index: 2, message: expect.stringContaining('overlaps') }])
  })

  it('treats "*" as claiming everything after it', () => {
    expect(findLocalityProblems(['*', 'eu-west']).map((p) => p.index)).toEqual([1])
  })

  it('accepts sibling zones and subzones', () => {
    expect(findLocalityProblems(['us-east/zone1', 'us-east/zone2/a', 'us-east/zone2/b'])).toEqual([])
  })
})
