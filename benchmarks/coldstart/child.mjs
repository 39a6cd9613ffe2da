// One cold start, in a fresh process: `node child.mjs <variant> <url> <rules dir> <snapshot file>`.
// Prints one JSON line: the time from the process's start to the first answer's body (ms, from
// performance.now(), whose origin is the process start), the CPU time the process used until then
// (user + system: far steadier than wall time on a shared machine), and the time spent importing.
// Run with `--conditions=unbundled` to import the unbundled build (dist/*.js) instead of the bundle.
const [variant, url, rulesDir, snapshotFile] = process.argv.slice(2)
const startedMs = performance.now()
let importedMs = startedMs
let createdMs = startedMs
let status
if (variant === 'fetch') {
  const answer = await fetch(url)
  await answer.text()
  status = answer.status
} else {
  const { createMesh } = await import('meshlet')
  importedMs = performance.now()
  const upstream = new URL(url)
  // One endpoint per subset of the 90/10 canary, all on the same local server.
  const endpoints = { reviews: ['v1', 'v2', 'v3'].map((version) => ({ address: upstream.hostname, port: Number(upstream.port), labels: { version } })) }
  const rules = variant === 'snapshot' ? { snapshot: snapshotFile } : { files: [rulesDir] }
  const mesh = await createMesh({ ...rules, endpoints })
  createdMs = performance.now()
  const answer = await mesh.fetch('http://reviews:9080/reviews/1')
  await answer.text()
  status = answer.status
}
const answeredMs = performance.now()
const cpu = process.cpuUsage()
process.stdout.write(`${JSON.stringify({ variant, status, startedMs, importMs: importedMs - startedMs, createMeshMs: createdMs - importedMs, firstAnswerMs: answeredMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`)
// The measurement is taken; the pools' sockets need not be closed politely.
process.exit(0)
