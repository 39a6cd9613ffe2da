// The live table: the same lines are redrawn in place on a terminal, or printed now and then
// as plain lines when the output is a file or a pipe.

/** The table as lines of text. */
export function renderTable(tally, configured, progress) {
  const rate = progress.elapsedMs > 0 ? Math.round((tally.requests * 1000) / progress.elapsedMs) : 0
  const lines = [
    `meshlet bookinfo · ${seconds(progress.elapsedMs)} of ${seconds(progress.durationMs)} · ${tally.requests.toLocaleString('en')} requests · ${rate}/s`,
    '',
    `ingress            ${countsText(tally.ingress)}`,
    `                   (% of the requests the gateway received) through the meshlet gateway ${configured.ingress}`,
    '',
    `${'reviews version'.padEnd(18)}${"% of jason's pages".padStart(22)}${"% of everyone else's".padStart(22)}`,
    `${''.padEnd(18)}${'observed'.padStart(11)}${'configured'.padStart(11)}${'observed'.padStart(11)}${'configured'.padStart(11)}`,
  ]
  const versions = [...new Set([...Object.keys(configured.split.jason), ...Object.keys(configured.split.others), ...tally.versions.jason.keys(), ...tally.versions.others.keys()])].sort()
  for (const version of versions) {
    const cells = ['jason', 'others'].flatMap((group) => [observedShare(tally.versions[group], version), `${round(configured.split[group][version] ?? 0)}%`])
    lines.push(`  ${version.padEnd(16)}${cells.map((cell) => cell.padStart(11)).join('')}`)
  }
  lines.push('')
  lines.push(`ratings calls      ${countsText(tally.ratings)}`)
  lines.push(`                   (% of the calls reviews v2/v3 made to ratings)`)
  lines.push(`                   configured faults: ${configured.faults}`)
  lines.push(`errors at client   ${tally.errors.size === 0 ? 'none' : `${countsText(tally.errors)}   (% of the errors; ${share(errorCount(tally), tally.requests)} of all requests)`}`)
  lines.push(`retried by gateway ${tally.retriedCalls} calls to productpage (${configured.resilience})`)
  const p50 = tally.latencyPercentileMs(50)
  const p99 = tally.latencyPercentileMs(99)
  lines.push(`latency            p50 ${milliseconds(p50)}   p99 ${milliseconds(p99)}`)
  lines.push(`end-user handed on ratings saw "end-user: jason" on ${tally.propagated.seen} of ${tally.propagated.of} of jason's rated answers`)
  return lines
}

/**
 * Where the table goes. On a TTY `update` redraws it in place (cursor up, clear to the end of
 * the screen); otherwise `update` prints one progress line and `final` prints the whole table.
 */
export function createScreen(stream) {
  if (stream.isTTY) {
    let drawn = 0
    const draw = (lines) => {
      if (drawn > 0) stream.write(`\u001b[${drawn}F\u001b[0J`)
      stream.write(`${lines.join('\n')}\n`)
      drawn = lines.length
    }
    return { refreshMs: 250, update: draw, final: draw }
  }
  return {
    refreshMs: 2000,
    update: (lines) => stream.write(`${lines[0]}\n`),
    final: (lines) => stream.write(`\n${lines.join('\n')}\n`),
  }
}

function observedShare(counts, version) {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0)
  return total === 0 ? '-' : `${((100 * (counts.get(version) ?? 0)) / total).toFixed(1)}%`
}

function errorCount(tally) {
  return [...tally.errors.values()].reduce((sum, n) => sum + n, 0)
}

function share(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`
}

function countsText(counts) {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0)
  if (total === 0) return 'none yet'
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n} (${((100 * n) / total).toFixed(1)}%)`)
    .join('   ')
}

function round(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`
}

function milliseconds(ms) {
  if (ms === undefined) return '-'
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`
}
