/**
 * `--kubernetes` for `meshlet validate` and `meshlet explain`: the rules a cluster holds (Istio's
 * VirtualService, DestinationRule, ServiceEntry, WorkloadEntry) and its Services, read once with
 * the same client createMesh({ kubernetes }) uses, then compiled with any files given, exactly as
 * a mesh in that cluster would compile them.
 */
import { systemClock, systemRandom } from '@meshlet/core'
import { DiscoveredState, KubernetesSource, SILENT_REPORTER } from '@meshlet/discovery'
import type { CompileResult, MeshSnapshot } from '@meshlet/rules'
import { compileDiscovered } from '../discovery/compile.js'
import { DEFAULT_MESH_OPTIONS } from '../mesh/options.js'
import { usageError } from './args.js'
import type { CommandSpec, OptionSpec, ParsedArgs } from './args.js'
import type { CommandContext } from './command.js'
import { formatDiagnosticGroups, plural } from './format.js'
import { hasGateway } from './load.js'
import type { RuleInput } from './load.js'

export const KUBERNETES_OPTIONS: readonly OptionSpec[] = [
  { name: 'kubernetes', kind: 'flag', description: 'read the live rules and Services of a Kubernetes cluster (files are then optional)' },
  { name: 'context', kind: 'value', valueName: 'name', description: 'with --kubernetes: the kubeconfig context (default: its current-context)' },
  { name: 'kubeconfig', kind: 'value', valueName: 'path', description: 'with --kubernetes: the kubeconfig (default: in-cluster account, $KUBECONFIG, ~/.kube/config)' },
  { name: 'kube-namespace', kind: 'list', valueName: 'ns', description: 'with --kubernetes: read only this namespace of the cluster (default: all)' },
]

/** What was read from the cluster, to say so in the summary. */
export interface ClusterRules {
  readonly result: CompileResult
  /** The API server and the credentials' origin, e.g. `https://10.0.0.1:6443 (context "dev" of ~/.kube/config)`. */
  readonly cluster: string
  /** Rule documents (Istio resources) read from the cluster. */
  readonly resources: number
  readonly services: number
}

/** Usage errors for the --kubernetes options: files or --kubernetes, and no cluster option without it. */
export function checkRuleSource(args: ParsedArgs, spec: CommandSpec): void {
  const kubernetes = args.flag('kubernetes')
  if (!kubernetes && args.positionals.length === 0) throw usageError(spec.name, `needs at least one ${spec.positionalName}, or --kubernetes to read the rules of a cluster`)
  if (!kubernetes) {
    for (const name of ['context', 'kubeconfig'] as const) if (args.value(name) !== undefined) throw usageError(spec.name, `--${name} needs --kubernetes`)
    if (args.list('kube-namespace').length > 0) throw usageError(spec.name, '--kube-namespace needs --kubernetes')
  }
}

/** Reads the cluster's rules and Services (one list each, no watch kept) and compiles them with the files. */
export async function loadClusterRules(args: ParsedArgs, input: RuleInput): Promise<ClusterRules> {
  const state = new DiscoveredState()
  const namespaces = args.list('kube-namespace')
  const source = new KubernetesSource({
    options: {
      kubeconfig: args.value('kubeconfig'),
      context: args.value('context'),
      namespaces: namespaces.length > 0 ? namespaces : undefined,
      endpoints: false,
    },
    sink: state,
    reporter: SILENT_REPORTER,
    clock: systemClock,
    random: systemRandom,
    domain: DEFAULT_MESH_OPTIONS.domain,
  })
  try {
    await source.start()
  } finally {
    await source.close()
  }
  const result = await compileDiscovered({ files: input.files, namespace: input.namespace, labels: input.labels, strict: input.strict }, state, false, { gateway: input.gateway })
  const access = source.access
  return {
    result,
    cluster: access === undefined ? 'the cluster' : `${access.server} (${access.description})`,
    resources: state.rules().length,
    services: state.services().length,
  }
}

/** For explain: the compiled snapshot, or undefined after printing why the cluster's rules do not compile. */
export async function loadClusterSnapshot(args: ParsedArgs, input: RuleInput, context: CommandContext): Promise<MeshSnapshot | undefined> {
  const { result } = await loadClusterRules(args, input)
  if (result.snapshot) return hasGateway(result.snapshot, input, context) ? result.snapshot : undefined
  const errors = result.diagnostics.filter((d) => d.severity === 'error')
  context.io.stderr.write(formatDiagnosticGroups(errors, context.err, { notes: false }))
  context.io.stderr.write(`${context.err.red('error')}: the cluster's rules do not compile (${plural(errors.length, 'error')}); meshlet validate --kubernetes shows every finding\n`)
  return undefined
}

/** `2 files and 14 resources (9 Services) from https://… checked` */
export function describeChecked(files: number, cluster: ClusterRules): string {
  const parts = [files > 0 ? `${plural(files, 'file')} and ` : '', `${plural(cluster.resources, 'resource')} (${plural(cluster.services, 'Service')}) from ${cluster.cluster}`]
  return `${parts.join('')} checked`
}
