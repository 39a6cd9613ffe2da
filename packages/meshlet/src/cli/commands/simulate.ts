/**
 * `meshlet simulate <files...>`: runs the rules' routes and DestinationRule policies against
 * simulated endpoints, without a network, in virtual time with a seeded random: how traffic splits
 * between destinations, which endpoint gets what, tail latency, errors and ejections. The balancer
 * code is the one the mesh runs (@meshlet/balancer simulateModel).
 */
import { readFile } from 'node:fs/promises'
import { parse as parseYaml } from 'yaml'
import { MeshError } from '@meshlet/core'
import { parseLatencyProfile, simulateModel } from '@meshlet/balancer'
import { withTopologyLabels } from '@meshlet/discovery'
import type { ModelDestination, ModelEndpoint, SimulatedRetries, SimulatedRoute, SimulationReport } from '@meshlet/balancer'
import { defaultRetryPolicy, explain } from '@meshlet/rules'
import type { CompiledEndpoint, MeshSnapshot } from '@meshlet/rules'
import { labelsOption, numberOption, usageError } from '../args.js'
import type { CommandSpec } from '../args.js'
import type { Command } from '../command.js'
import { json } from '../format.js'
import { loadSnapshot } from '../load.js'
import { parseHeaderOptions, parseRequestOption } from '../request.js'

/** What the simulation runs of the rules, and what it leaves out: said in --help and in every report. */
const MODELLED =
  'route weights, the load balancer (locality, hash, warmup, weights, PEAK_EWMA), outlier detection, retries (retryOn, perTryTimeout, backoff), the route timeout, fault delays and aborts, connection pool limits'
const NOT_MODELLED = 'mirrors, rewrites and header changes (they do not change the answer), connect timeouts and TLS'

/** Defaults of the command: simulateModel's own request count and concurrency, a fixed seed so a run repeats. */
const SIMULATE_DEFAULTS = { requests: 10_000, concurrency: 10, seed: 1, pods: 3 } as const

const spec: CommandSpec = {
  name: 'simulate',
  summary: 'run routes and policies against simulated endpoints: splits, per-endpoint shares, tail latency',
  usage: '<files or folders...> [--request "METHOD URL" [-H "name: value"]...] [--endpoints file.yaml | --pods n] [--requests n] [--concurrency n] [--seed n] [--locality region/zone] [--json]',
  minPositionals: 1,
  positionalName: 'rules file or folder',
  options: [
    { name: 'request', short: 'r', kind: 'value', valueName: '"METHOD URL"', description: 'simulate the route this request matches (default: every route of every VirtualService in turn, else every DestinationRule host)' },
    { name: 'header', short: 'H', kind: 'list', valueName: '"name: value"', description: 'a header of --request' },
    { name: 'endpoints', short: 'e', kind: 'value', valueName: 'file.yaml', description: 'hosts → endpoints with labels, locality, weight, latency (e.g. "lognormal(20ms, 0.5)") and failureRate' },
    { name: 'pods', kind: 'value', valueName: 'n', description: `synthetic endpoints per subset for hosts with none in --endpoints or a ServiceEntry (default ${SIMULATE_DEFAULTS.pods})` },
    { name: 'latency', kind: 'value', valueName: 'profile', description: 'latency of endpoints that name none (default lognormal(10ms, 0.3))' },
    { name: 'requests', kind: 'value', valueName: 'n', description: `requests per route (default ${SIMULATE_DEFAULTS.requests})` },
    { name: 'concurrency', short: 'c', kind: 'value', valueName: 'n', description: `clients sending at once (default ${SIMULATE_DEFAULTS.concurrency})` },
    { name: 'seed', kind: 'value', valueName: 'n', description: `seed of the random draws; the same seed gives the same report (default ${SIMULATE_DEFAULTS.seed})` },
    { name: 'locality', kind: 'value', valueName: 'region/zone[/subzone]', description: "this service's locality, for localityLbSetting" },
    { name: 'labels', short: 'l', kind: 'list', valueName: 'k=v,...', description: "this service's labels, for sourceLabels matches and failoverPriority" },
    { name: 'namespace', short: 'n', kind: 'value', valueName: 'ns', description: 'namespace this service runs in (default: default)' },
    { name: 'json', kind: 'flag', description: 'print the reports as JSON' },
  ],
  details: [
    'An endpoints file maps a host (short name or FQDN) to its endpoints:',
    '  reviews:',
    '    - { address: 10.0.0.1, port: 9080, labels: { version: v1 }, locality: us-east1/us-east1-b, latency: "lognormal(20ms, 0.5)" }',
    '    - { address: 10.0.0.2, port: 9080, labels: { version: v2 }, weight: 2, failureRate: 0.05, latency: "slow(20ms, 10)" }',
    'Endpoints of a subset are those whose labels (plus Istio topology labels from the locality) include the subset labels.',
    `Simulated: ${MODELLED}.`,
    `Not simulated: ${NOT_MODELLED} (explain shows them).`,
    'A simulated failure is a 503 answer: retried when retryOn has 5xx, gateway-error or 503.',
    'Examples:',
    '  meshlet simulate examples/rules --pods 4 --requests 5000',
    '  meshlet simulate examples/rules/mesh --request "GET http://reviews:9080/reviews/1" -H "end-user: jason" --json',
  ],
}

/** One route to simulate: where it comes from and the destinations it splits traffic between. */
interface RouteToSimulate {
  readonly name: string
  readonly destinations: ReadonlyArray<{ readonly host: string; readonly subset: string | undefined; readonly port: number | undefined; readonly weight: number }>
  readonly retries: SimulatedRetries | undefined
  readonly route: SimulatedRoute
}

/** The retry policy as the simulation runs it: which simulated outcomes retryOn covers (Envoy router doc). */
function simulatedRetries(policy: { attempts: number; avoidPreviousHosts: boolean; perTryTimeoutMs: number | null | undefined; retryOn: readonly string[]; retriableStatusCodes: readonly number[]; backoffBaseMs: number; backoffMaxMs: number }): SimulatedRetries {
  const on = new Set(policy.retryOn)
  return {
    attempts: policy.attempts,
    avoidPreviousHosts: policy.avoidPreviousHosts,
    perTryTimeoutMs: policy.perTryTimeoutMs ?? undefined,
    backoffBaseMs: policy.backoffBaseMs,
    backoffMaxMs: policy.backoffMaxMs,
    retryOn: {
      // A simulated failure is a 503 answer.
      failure: on.has('5xx') || on.has('gateway-error') || policy.retriableStatusCodes.includes(503),
      // A per-try timeout is retried with 5xx, gateway-error or reset (retry_state_impl.cc).
      perTryTimeout: on.has('5xx') || on.has('gateway-error') || on.has('reset'),
    },
  }
}

interface Settings {
  readonly snapshot: MeshSnapshot
  readonly endpointFile: ReadonlyMap<string, readonly ModelEndpoint[]> | undefined
  readonly pods: number
}

export const simulateCommand: Command = {
  spec,
  async run(args, context) {
    const requests = numberOption(args, spec, 'requests', { min: 1, max: 10_000_000 }) ?? SIMULATE_DEFAULTS.requests
    const concurrency = numberOption(args, spec, 'concurrency', { min: 1, max: 100_000 }) ?? SIMULATE_DEFAULTS.concurrency
    const seed = numberOption(args, spec, 'seed', { min: 0, max: 2 ** 32 - 1 }) ?? SIMULATE_DEFAULTS.seed
    const pods = numberOption(args, spec, 'pods', { min: 0, max: 10_000 }) ?? SIMULATE_DEFAULTS.pods
    const labels = labelsOption(args, spec, 'labels')
    const locality = args.value('locality')
    if (locality !== undefined && !/^[^/]+(\/[^/]*){0,2}$/.test(locality)) throw usageError(spec.name, `--locality takes region/zone/subzone, got ${JSON.stringify(locality)}`)
    if (args.list('header').length > 0 && args.value('request') === undefined) throw usageError(spec.name, '-H needs --request')

    const snapshot = await loadSnapshot({ files: args.positionals, namespace: args.value('namespace'), labels }, context)
    if (!snapshot) return 1
    const endpointsPath = args.value('endpoints')
    const endpointFile = endpointsPath === undefined ? undefined : parseEndpointFile(snapshot, endpointsPath, await readFile(endpointsPath, 'utf8'))
    const settings: Settings = { snapshot, endpointFile, pods }

    const requestText = args.value('request')
    const routes = routesToSimulate(snapshot, requestText, args.list('header'))
    if (routes.length === 0) {
      const hint = snapshot.virtualServices.length === 0 ? '; there is no VirtualService: pass --request "GET http://host/" to simulate the default route of a host' : ''
      context.io.stderr.write(`${context.err.red('error')}: no route sends traffic to a destination${requestText === undefined ? ' in these rules' : ' for this request'}${hint}\n`)
      return 1
    }
    if (requestText === undefined && snapshot.virtualServices.length === 0) {
      context.io.stderr.write(`${context.err.yellow('note')}: no VirtualService in these rules, so each DestinationRule host runs Istio's default route; pass --request "METHOD URL" to simulate one request\n`)
    }
    const runs = routes.map((route) => {
      const result = simulateModel({
        seed,
        requests,
        concurrency,
        localLocality: locality,
        localLabels: labels,
        defaultLatency: args.value('latency'),
        destinations: route.destinations.map((destination) => modelDestination(settings, route, destination)),
        route: route.route,
      })
      return { route: route.name, ...result }
    })
    if (args.flag('json')) {
      context.io.stdout.write(json(runs.map((run): { route: string; report: SimulationReport; notModelled: string } => ({ route: run.route, report: run.report, notModelled: NOT_MODELLED }))))
    } else {
      context.io.stdout.write(runs.map((run) => `${context.out.bold(run.route)}\n${run.text}\n`).join('\n'))
      context.io.stdout.write(`\n${context.out.dim(`Not simulated: ${NOT_MODELLED}.`)}\n`)
    }
    return 0
  },
}

/** The route --request matches, or every route of every VirtualService that sends to destinations. */
function routesToSimulate(snapshot: MeshSnapshot, requestText: string | undefined, headerTexts: readonly string[]): RouteToSimulate[] {
  if (requestText !== undefined) {
    const { method, url } = parseRequestOption(requestText, spec)
    const decision = explain(snapshot, { method, url, headers: parseHeaderOptions(headerTexts, spec) })
    if (decision.action !== 'route' || decision.destinations.length === 0) {
      throw new MeshError('MESHLET_ERR_INVALID_REQUEST', `${method} ${url} is not routed to a destination (${decision.action}${decision.reason === null ? '' : `: ${decision.reason}`})`)
    }
    const where = decision.virtualService === null ? decision.host : `${decision.virtualService} route ${decision.route?.name ?? decision.route?.index ?? 0}`
    const retries = decision.retries
    return [
      {
        name: `${method} ${url} → ${where}`,
        destinations: decision.destinations.map((d) => ({ host: d.host, subset: d.subset ?? undefined, port: d.port ?? undefined, weight: d.weight })),
        retries:
          retries === null
            ? undefined
            : simulatedRetries({ ...retries, retryOn: retries.retryOn.split(',').filter((token) => token !== ''), backoffBaseMs: retries.backoffMs }),
        route: {
          timeoutMs: decision.timeoutMs ?? undefined,
          fault:
            decision.fault === null
              ? undefined
              : { delay: decision.fault.delay ?? undefined, abort: decision.fault.abort === null ? undefined : { percentage: decision.fault.abort.percentage } },
        },
      },
    ]
  }
  const routes: RouteToSimulate[] = []
  for (const virtualService of snapshot.virtualServices) {
    for (const route of virtualService.routes) {
      if (route.action.kind !== 'route' || route.action.destinations.length === 0) continue
      routes.push({
        name: `${virtualService.ref.namespace}/${virtualService.ref.name} route ${route.name ?? route.index}`,
        destinations: route.action.destinations,
        retries: simulatedRetries(route.retries),
        route: { timeoutMs: route.timeoutMs, fault: route.fault },
      })
    }
  }
  if (routes.length > 0) return routes
  // No VirtualService: each DestinationRule host with Istio's default route (all traffic, default retries).
  for (const rule of snapshot.destinationRules) {
    if (rule.host.includes('*')) continue
    routes.push({ name: `${rule.host} (no VirtualService)`, destinations: [{ host: rule.host, subset: undefined, port: undefined, weight: 100 }], retries: simulatedRetries(defaultRetryPolicy), route: {} })
  }
  return routes
}

function modelDestination(settings: Settings, route: RouteToSimulate, destination: RouteToSimulate['destinations'][number]): ModelDestination {
  const policy = settings.snapshot.trafficPolicyFor(destination.host, destination.subset, destination.port)
  return {
    host: destination.host,
    subset: destination.subset,
    weight: destination.weight,
    loadBalancer: policy.loadBalancer,
    outlierDetection: policy.outlierDetection,
    retries: route.retries,
    connectionPool: policy.connectionPool,
    endpoints: endpointsOf(settings, destination.host, destination.subset, destination.port),
  }
}

/**
 * The endpoints of a cluster: from the endpoints file, else the host's ServiceEntry, else `pods`
 * synthetic ones carrying the subset's labels; then only those the subset selects.
 */
function endpointsOf(settings: Settings, host: string, subset: string | undefined, port: number | undefined): ModelEndpoint[] {
  const subsetLabels = subset === undefined ? {} : settings.snapshot.lookupDestinationRule(host)?.subsets.find((s) => s.name === subset)?.labels
  // A subset no DestinationRule defines has no endpoints (Envoy answers 503 NC).
  if (subsetLabels === undefined) return []
  const given = settings.endpointFile?.get(host) ?? serviceEntryEndpoints(settings.snapshot, host, port)
  if (given !== undefined && given.length > 0) return given.filter((endpoint) => selects(subsetLabels, withTopologyLabels(endpoint.labels ?? {}, endpoint.locality, endpoint.network)))
  return Array.from({ length: settings.pods }, (_, index) => ({
    address: `${host.split('.')[0]}${subset === undefined ? '' : `-${subset}`}-${index + 1}`,
    port: port ?? 80,
    labels: subsetLabels,
  }))
}

function serviceEntryEndpoints(snapshot: MeshSnapshot, host: string, port: number | undefined): ModelEndpoint[] | undefined {
  const entry = snapshot.lookupServiceEntry(host)
  if (entry === undefined || entry.endpoints.length === 0) return undefined
  const servicePort = entry.ports.find((p) => p.number === port) ?? (entry.ports.length === 1 ? entry.ports[0] : undefined)
  return entry.endpoints.map((endpoint: CompiledEndpoint): ModelEndpoint => ({
    address: endpoint.address,
    // Istio: the WorkloadEntry port named like the service port, else targetPort, else the port itself.
    port: servicePort === undefined ? port : (endpoint.ports[servicePort.name] ?? servicePort.targetPort ?? servicePort.number),
    labels: endpoint.labels,
    locality: endpoint.locality,
    weight: endpoint.weight,
    network: endpoint.network,
  }))
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels[key] !== value) return false
  return true
}

/** The endpoints file: `host: [endpoint, ...]`, hosts resolved to the FQDN the rules use. */
function parseEndpointFile(snapshot: MeshSnapshot, path: string, text: string): Map<string, ModelEndpoint[]> {
  const invalid = (where: string, message: string) => new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `${path}: ${where}: ${message}`)
  let document: unknown
  try {
    document = parseYaml(text)
  } catch (cause) {
    throw new MeshError('MESHLET_ERR_INVALID_ARGUMENT', `${path}: not YAML: ${(cause as Error).message}`, { cause })
  }
  if (!isRecord(document)) throw invalid('top level', 'must map hosts to lists of endpoints')
  const byHost = new Map<string, ModelEndpoint[]>()
  for (const [name, list] of Object.entries(document)) {
    if (!Array.isArray(list)) throw invalid(name, 'must be a list of endpoints')
    const host = snapshot.resolveAuthority(name).host
    byHost.set(host, list.map((item, index) => parseEndpoint(item, `${name}[${index}]`, invalid)))
  }
  return byHost
}

function parseEndpoint(item: unknown, where: string, invalid: (where: string, message: string) => MeshError): ModelEndpoint {
  if (!isRecord(item)) throw invalid(where, 'must be a map with at least address')
  const known = ['address', 'port', 'labels', 'locality', 'weight', 'network', 'latency', 'failureRate', 'concurrency', 'joinAtMs']
  for (const key of Object.keys(item)) if (!known.includes(key)) throw invalid(where, `unknown field "${key}" (known: ${known.join(', ')})`)
  const { address, port, labels, locality, weight, network, latency, failureRate, concurrency, joinAtMs } = item
  if (typeof address !== 'string' || address === '') throw invalid(where, 'needs address, a string')
  const number = (value: unknown, field: string, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !(value >= min && value <= max)) throw invalid(where, `${field} must be a number from ${min} to ${max}`)
    return value
  }
  const text = (value: unknown, field: string): string | undefined => {
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw invalid(where, `${field} must be a string`)
    return value
  }
  if (labels !== undefined && (!isRecord(labels) || Object.values(labels).some((v) => typeof v !== 'string'))) throw invalid(where, 'labels must map names to strings')
  const latencyText = text(latency, 'latency')
  if (latencyText !== undefined) {
    try {
      parseLatencyProfile(latencyText)
    } catch (cause) {
      throw invalid(where, (cause as Error).message)
    }
  }
  return {
    address,
    port: number(port, 'port', 1, 65_535),
    labels: labels as Record<string, string> | undefined,
    locality: text(locality, 'locality'),
    weight: number(weight, 'weight', 0, 2 ** 32 - 1),
    network: text(network, 'network'),
    latency: latencyText,
    failureRate: number(failureRate, 'failureRate', 0, 1),
    concurrency: number(concurrency, 'concurrency', 1, 1_000_000),
    joinAtMs: number(joinAtMs, 'joinAtMs', 0, Number.MAX_SAFE_INTEGER),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
