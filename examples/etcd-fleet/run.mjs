#!/usr/bin/env node
// node examples/etcd-fleet/run.mjs [--seconds 3] [--concurrency 4]
//
// A fleet without a cluster, in one command: etcd (installed from Debian when missing), three
// instances of reviews (v1, v1, v2) that register themselves in etcd, and a fourth process routing
// a 90/10 canary across them with the Istio rules kept in etcd. Then the operator moves the canary
// to 50/50 with one etcd write, and one v1 instance leaves (it deregisters): the router follows both
// without a restart and without a failed call. Everything started is stopped at the end.
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ensureEtcd, freePort, startEtcd } from './etcd.mjs'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '4' } } })
const phaseMs = Number(values.seconds) * 1000
const here = (file) => new URL(file, import.meta.url)
const log = (text) => console.log(text)

ensureEtcd(log)
const etcd = await startEtcd()
log(`etcd ${etcd.endpoint} (pid ${etcd.pid})`)
const children = []

try {
  // The operator writes the rules once; every mesh of the fleet reads them from etcd.
  await etcd.put('/meshlet/config/reviews.yaml', readFileSync(here('mesh/reviews.yaml'), 'utf8'))
  await etcd.put('/meshlet/config/canary.yaml', readFileSync(here('mesh/canary.yaml'), 'utf8'))
  log('rules written: /meshlet/config/reviews.yaml (ServiceEntry + subsets), /meshlet/config/canary.yaml (90/10)')

  // Three instances, each on its own loopback address, all on one port, as hosts of a fleet are.
  const port = await freePort('127.0.0.2')
  const fleet = [
    ['reviews-v1-a', 'v1', '127.0.0.2'],
    ['reviews-v1-b', 'v1', '127.0.0.3'],
    ['reviews-v2-a', 'v2', '127.0.0.4'],
  ]
  const instances = {}
  for (const [name, version, address] of fleet) {
    const child = start('instance.mjs', [etcd.endpoint, name, version, address, String(port)])
    const { registered } = await message(child, 'registered')
    instances[name] = child
    log(`${name} (${version}) serves ${address}:${port} and registered itself: ${registered}`)
  }

  const client = start('client.mjs', [etcd.endpoint, values.concurrency])
  client.on('message', (m) => m.event && log(`  router: ${m.event}`))
  await message(client, 'ready')

  await phase(client, `Phase 1, ${values.seconds} s: canary 90/10 (v1/v2)`, { v1: 90, v2: 10 })

  const fiftyFifty = readFileSync(here('mesh/canary.yaml'), 'utf8').replace('weight: 90', 'weight: 50').replace('weight: 10', 'weight: 50')
  await etcd.put('/meshlet/config/canary.yaml', fiftyFifty)
  log('\noperator: etcdctl put /meshlet/config/canary.yaml  (now 50/50)')
  await phase(client, `Phase 2, ${values.seconds} s: canary 50/50`, { v1: 50, v2: 50 })

  instances['reviews-v1-b'].send('stop')
  await message(instances['reviews-v1-b'], 'stopped')
  log('\nreviews-v1-b stopped: it closed its registration (lease revoked, entry gone at once)')
  await phase(client, `Phase 3, ${values.seconds} s: one v1 instance left`, { v1: 50, v2: 50 })

  client.send('stop')
  await message(client, 'stopped')
  for (const name of ['reviews-v1-a', 'reviews-v2-a']) {
    instances[name].send('stop')
    await message(instances[name], 'stopped')
  }
} finally {
  for (const child of children) if (child.exitCode === null && child.connected) child.kill()
  await etcd.stop()
  log('\nstopped: the four processes and etcd')
}

function start(file, args) {
  const child = fork(here(file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(child)
  return child
}

function message(child, key) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m[key] === undefined) return
      child.off('message', onMessage)
      resolve(m)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`a child process exited (code ${code}) before sending "${key}"`)))
  })
}

async function phase(client, title, configured) {
  client.send('tally') // start counting afresh
  await message(client, 'tally')
  await new Promise((resolve) => setTimeout(resolve, phaseMs))
  client.send('tally')
  const { tally } = await message(client, 'tally')
  const total = Object.values(tally.byVersion).reduce((sum, n) => sum + n, 0)
  const failed = Object.values(tally.failed).reduce((sum, n) => sum + n, 0)
  log(`\n${title}`)
  for (const version of ['v1', 'v2']) {
    const share = total === 0 ? 0 : ((tally.byVersion[version] ?? 0) / total) * 100
    log(`  ${version}  ${String(tally.byVersion[version] ?? 0).padStart(6)} calls  ${share.toFixed(1).padStart(5)} %  (configured ${configured[version]} %)`)
  }
  log(`  by instance: ${Object.entries(tally.byInstance).map(([name, n]) => `${name} ${n}`).join(', ')}`)
  log(`  failed: ${failed}${failed > 0 ? ` ${JSON.stringify(tally.failed)}` : ''}`)
}
