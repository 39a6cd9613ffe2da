import { describe, expect, it } from 'vitest'
import { isMeshError } from '@meshlet/core'
import { labelsOption, numberOption, parseArgs } from './args.js'
import type { CommandSpec } from './args.js'

const spec: CommandSpec = {
  name: 'explain',
  summary: 'test',
  usage: '<files...>',
  minPositionals: 1,
  positionalName: 'rules file or folder',
  options: [
    { name: 'request', short: 'r', kind: 'value', description: 'request' },
    { name: 'header', short: 'H', kind: 'list', description: 'header' },
    { name: 'json', kind: 'flag', description: 'json' },
    { name: 'seed', kind: 'value', description: 'seed' },
    { name: 'labels', kind: 'list', description: 'labels' },
  ],
}

function usageMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(isMeshError(error, 'MESHLET_ERR_CLI_USAGE')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected a usage error')
}

describe('parseArgs', () => {
  it('takes options before, between and after positionals', () => {
    const args = parseArgs(['--json', 'a.yaml', '-H', 'x: 1', 'b.yaml', '--request=GET http://r/'], spec)
    expect(args.positionals).toEqual(['a.yaml', 'b.yaml'])
    expect(args.flag('json')).toBe(true)
    expect(args.value('request')).toBe('GET http://r/')
    expect(args.list('header')).toEqual(['x: 1'])
  })

  it('collects a repeated list option in order and keeps the last of a single-value option', () => {
    const args = parseArgs(['a', '-H', 'x: 1', '--header', 'y: 2', '-Hz: 3', '--seed', '1', '--seed', '2'], spec)
    expect(args.list('header')).toEqual(['x: 1', 'y: 2', 'z: 3'])
    expect(args.value('seed')).toBe('2')
  })

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--json', 'a'], spec).positionals).toEqual(['--json', 'a'])
    expect(parseArgs(['--', '--json'], spec).flag('json')).toBe(false)
  })

  it('rejects an unknown option, naming it', () => {
    expect(usageMessage(() => parseArgs(['a', '--frobnicate'], spec))).toBe('explain: unknown option --frobnicate')
    expect(usageMessage(() => parseArgs(['a', '-x'], spec))).toBe('explain: unknown option -x')
  })

  it('rejects an option that needs a value when none follows', () => {
    expect(usageMessage(() => parseArgs(['a', '--request'], spec))).toBe('explain: option --request needs a value')
    expect(usageMessage(() => parseArgs(['a', '-r', '--json'], spec))).toBe('explain: option -r needs a value')
  })

  it('rejects a value given to a flag', () => {
    expect(usageMessage(() => parseArgs(['a', '--json=yes'], spec))).toBe('explain: option --json takes no value')
  })

  it('asks for the positional arguments the command needs, unless help is asked for', () => {
    expect(usageMessage(() => parseArgs(['--json'], spec))).toBe('explain: needs at least one rules file or folder')
    expect(parseArgs(['--help'], spec).help).toBe(true)
    expect(parseArgs(['-h'], spec).help).toBe(true)
  })
})

describe('option readers', () => {
  it('reads a number within its range and refuses anything else', () => {
    expect(numberOption(parseArgs(['a', '--seed', '42'], spec), spec, 'seed', { min: 0, max: 100 })).toBe(42)
    expect(numberOption(parseArgs(['a'], spec), spec, 'seed', { min: 0, max: 100 })).toBeUndefined()
    expect(usageMessage(() => numberOption(parseArgs(['a', '--seed', 'x'], spec), spec, 'seed', { min: 0, max: 100 }))).toContain('--seed must be a number from 0 to 100')
    expect(usageMessage(() => numberOption(parseArgs(['a', '--seed', '101'], spec), spec, 'seed', { min: 0, max: 100 }))).toContain('got "101"')
  })

  it('reads labels as comma-separated key=value pairs, merging repeats', () => {
    const args = parseArgs(['a', '--labels', 'app=reviews, version=v1', '--labels', 'team=books'], spec)
    expect(labelsOption(args, spec, 'labels')).toEqual({ app: 'reviews', version: 'v1', team: 'books' })
    expect(usageMessage(() => labelsOption(parseArgs(['a', '--labels', 'app'], spec), spec, 'labels'))).toContain('key=value')
  })
})
