/**
 * `meshlet explain <files...> --request "GET http://reviews/x" [-H "k: v"]...`: what the rules
 * decide for one request (which VirtualService and route, where it goes, with which timeout,
 * retries, fault and mirrors), as text or as explain()'s JSON.
 */
import { seededRandom } from '@meshlet/core'
import { explain } from '@meshlet/rules'
import { labelsOption, numberOption, usageError } from '../args.js'
import type { CommandSpec } from '../args.js'
import type { Command } from '../command.js'
import { formatDecision } from '../format-decision.js'
import { json } from '../format.js'
import { loadSnapshot } from '../load.js'
import { KUBERNETES_OPTIONS, checkRuleSource, loadClusterSnapshot } from '../kubernetes.js'
import { parseHeaderOptions, parseRequestOption } from '../request.js'

const spec: CommandSpec = {
  name: 'explain',
  summary: 'show what the rules decide for one request: route, destination, timeout, retries, fault',
  usage: '<files or folders...> --request "METHOD URL" [-H "name: value"]... [--json] [--namespace ns] [--labels k=v,...] [--seed n] [--gateway ns/name]',
  minPositionals: 0,
  positionalName: 'rules file or folder',
  options: [
    { name: 'request', short: 'r', kind: 'value', valueName: '"METHOD URL"', description: 'the request, e.g. "GET http://reviews:9080/reviews/1" (the method defaults to GET)' },
    { name: 'header', short: 'H', kind: 'list', valueName: '"name: value"', description: 'a request header' },
    { name: 'json', kind: 'flag', description: 'print the decision as JSON (the value explain() returns)' },
    { name: 'gateway', short: 'g', kind: 'value', valueName: 'namespace/name', description: 'explain requests as this Gateway (Istio or Gateway API) receives them: its VirtualServices, HTTPRoutes and servers' },
    { name: 'namespace', short: 'n', kind: 'value', valueName: 'ns', description: 'namespace this service runs in; short names expand with it (default: default)' },
    { name: 'labels', short: 'l', kind: 'list', valueName: 'k=v,...', description: "this service's labels, for sourceLabels matches" },
    { name: 'seed', kind: 'value', valueName: 'n', description: 'seed for the weighted pick of the destination (default: random)' },
    ...KUBERNETES_OPTIONS,
  ],
  details: [
    'Examples:',
    '  meshlet explain examples/rules --request "GET http://reviews:9080/reviews/1" -H "end-user: jason"',
    '  meshlet explain examples/rules/mesh --request "POST http://productpage:9080/api/v1/products" --json',
    '  meshlet explain examples/bookinfo/mesh --gateway istio-system/bookinfo-gateway --request "GET http://bookinfo.example/productpage"',
    '  meshlet explain --kubernetes --namespace shop --request "GET http://reviews:9080/"',
  ],
}

export const explainCommand: Command = {
  spec,
  async run(args, context) {
    checkRuleSource(args, spec)
    const requestText = args.value('request')
    if (requestText === undefined) throw usageError(spec.name, 'needs --request "METHOD URL"')
    const { method, url } = parseRequestOption(requestText, spec)
    const headers = parseHeaderOptions(args.list('header'), spec)
    const labels = labelsOption(args, spec, 'labels')
    const seed = numberOption(args, spec, 'seed', { min: 0, max: 2 ** 32 - 1 })

    const input = { files: args.positionals, namespace: args.value('namespace'), labels, gateway: args.value('gateway') }
    const snapshot = args.flag('kubernetes') ? await loadClusterSnapshot(args, input, context) : await loadSnapshot(input, context)
    if (!snapshot) return 1
    const decision = explain(snapshot, { method, url, headers }, seed === undefined ? {} : { random: seededRandom(seed) })
    context.io.stdout.write(args.flag('json') ? json(decision) : formatDecision({ method, url, headers }, decision, context.out))
    return 0
  },
}
