/**
 * Loading rules for the commands that need a compiled snapshot (explain, check, fidelity): when
 * the rules do not compile, the errors are printed the way `meshlet validate` prints them.
 */
import { checkMeshConfig, loadMeshConfig } from '@meshlet/rules'
import type { CompileResult, MeshSnapshot } from '@meshlet/rules'
import type { CommandContext } from './command.js'
import { formatDiagnosticGroups, plural } from './format.js'

export interface RuleInput {
  readonly files: readonly string[]
  readonly namespace?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly strict?: boolean
  /** The gateway to explain requests as (`--gateway namespace/name`); the snapshot then carries its route tables. */
  readonly gateway?: string | undefined
}

/** Findings only, without building the snapshot (meshlet validate). */
export async function checkRules(input: RuleInput): Promise<Omit<CompileResult, 'snapshot'>> {
  return checkMeshConfig(ruleOptions(input))
}

export async function loadRules(input: RuleInput): Promise<CompileResult> {
  return loadMeshConfig(ruleOptions(input))
}

function ruleOptions(input: RuleInput): Parameters<typeof loadMeshConfig>[0] {
  return {
    files: input.files,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
    ...(input.labels !== undefined ? { labels: input.labels } : {}),
    ...(input.strict !== undefined ? { strict: input.strict } : {}),
    ...(input.gateway !== undefined ? { gateway: input.gateway } : {}),
  }
}

/** The snapshot, or undefined after printing why there is none (the command then exits 1). */
export async function loadSnapshot(input: RuleInput, context: CommandContext): Promise<MeshSnapshot | undefined> {
  const result = await loadRules(input)
  if (result.snapshot) {
    if (!hasGateway(result.snapshot, input, context)) return undefined
    if (result.files.length === 0) {
      context.io.stderr.write(`${context.err.red('error')}: no rule files (.yaml, .yml, .json) found in ${input.files.join(', ')}\n`)
      return undefined
    }
    return result.snapshot
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error')
  context.io.stderr.write(formatDiagnosticGroups(errors, context.err, { notes: false }))
  context.io.stderr.write(`${context.err.red('error')}: the rules do not compile (${plural(errors.length, 'error')}); fix them first (meshlet validate shows every finding)\n`)
  return undefined
}

/** False, after saying which Gateways the rules do define, when `--gateway` names one they do not. */
export function hasGateway(snapshot: MeshSnapshot, input: RuleInput, context: CommandContext): boolean {
  if (input.gateway === undefined || snapshot.gateway !== undefined) return true
  const defined = snapshot.resources.filter((r) => r.kind === 'Gateway' || r.kind === 'KubernetesGateway').map((r) => `${r.namespace}/${r.name}`)
  context.io.stderr.write(`${context.err.red('error')}: the rules define no Gateway ${input.gateway}${defined.length > 0 ? ` (they define ${defined.join(', ')})` : ''}\n`)
  return false
}
