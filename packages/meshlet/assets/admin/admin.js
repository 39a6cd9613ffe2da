// meshlet admin page: polls /ui/state.json and redraws. Plain DOM, text only (no innerHTML), so
// names from the rules can never inject markup.
'use strict'

const refreshMs = Number(document.body.dataset.refreshMs) || 1000

function el(tag, attributes, ...children) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue
    if (name === 'class') node.className = value
    else if (name.startsWith('data-')) node.setAttribute(name, String(value))
    else node[name] = value
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    node.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return node
}

function replace(sectionId, nodes, emptyText) {
  const content = document.querySelector(`#${sectionId} .content`)
  content.replaceChildren(...(nodes.length > 0 ? nodes : [el('p', { class: 'empty' }, emptyText)]))
}

function formatMs(ms) {
  if (ms === undefined || ms === null) return '—'
  if (ms >= 60000) return `${(ms / 60000).toFixed(1)} min`
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.round(ms)} ms`
}

function bar(kind, percent) {
  const width = Math.max(0, Math.min(100, percent ?? 0))
  const span = el('span')
  span.style.width = `${width}%`
  return el('div', { class: `bar ${kind}` }, span, el('em', {}, percent === undefined ? '—' : `${percent}%`))
}

function renderRoutes(state) {
  const cards = state.virtualServices.map((service) =>
    el('div', { class: 'card', 'data-virtual-service': service.name },
      el('div', { class: 'title' }, service.name),
      el('div', { class: 'meta' }, `${service.hosts.join(', ')} · ${service.source}`),
      service.routes.map((route) =>
        el('div', { class: 'route', 'data-route': route.name ?? `#${route.index}` },
          el('div', {}, el('strong', {}, route.name ?? `route ${route.index}`), ' ', el('span', { class: 'meta' }, route.match.join(' | '))),
          el('div', { class: 'meta' }, [
            route.action === 'route' ? null : route.action,
            route.timeoutMs === undefined ? null : `timeout ${formatMs(route.timeoutMs)}`,
            `${route.retryAttempts} retries`,
            route.fault ? `fault: ${route.fault}` : null,
          ].filter(Boolean).join(' · ')),
          route.destinations.length === 0 ? null : el('div', { class: 'split' },
            route.destinations.map((destination) => [
              el('div', { class: 'name' }, destination.subset ?? destination.host.split('.')[0],
                el('div', { class: 'meta' }, `${destination.observedCalls} calls`)),
              el('div', { class: 'bars', 'data-destination': destination.subset ?? destination.host, 'data-observed': destination.observedPercent ?? '' },
                bar('configured', destination.configuredPercent),
                bar('observed', destination.observedPercent)),
            ])),
        )),
      el('div', { class: 'legend' }, el('i', { class: 'c' }), 'configured', el('i', { class: 'o' }), 'observed (calls to the destination, by version)'),
    ))
  replace('routes', cards, 'No VirtualService: calls go to each host with Istio’s defaults.')
}

function renderServices(state) {
  const rows = state.services.map((service) =>
    el('tr', { 'data-service': service.service },
      el('td', {}, service.service),
      el('td', {}, service.calls),
      el('td', {}, service.calls === 0 ? '—' : `${Math.round((service.errors / service.calls) * 1000) / 10}%`),
      el('td', {}, service.versions.map((version) => `${version.version} ${version.percent}%`).join(' · '))))
  replace('services', rows.length === 0 ? [] : [el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, 'service'), el('th', {}, 'calls'), el('th', {}, 'errors'), el('th', {}, 'by version'))),
    el('tbody', {}, rows))], 'No call counted yet.')
}

function renderClusters(state) {
  const cards = state.clusters.map((cluster) =>
    el('div', { class: 'card', 'data-cluster': cluster.name },
      el('div', { class: 'title' }, cluster.name),
      el('div', { class: 'meta' }, [
        cluster.algorithm,
        `${cluster.activeRequests} active`,
        cluster.pendingRequests === undefined ? null : `${cluster.pendingRequests} pending`,
        cluster.outlierDetection ? 'outlier detection' : null,
        cluster.panic ? 'PANIC: ejected endpoints in use' : null,
      ].filter(Boolean).join(' · '), cluster.circuitBreaker && cluster.circuitBreaker !== 'closed'
        ? el('span', { class: 'badge open' }, ` circuit ${cluster.circuitBreaker}`) : null),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'endpoint'), el('th', {}, 'health'), el('th', {}, 'active'), el('th', {}, 'cost'), el('th', {}, 'locality · weight'))),
        el('tbody', {}, cluster.endpoints.map((endpoint) =>
          el('tr', { 'data-endpoint': endpoint.id, 'data-health': endpoint.health },
            el('td', {}, endpoint.id, endpoint.labels.version ? el('div', { class: 'meta' }, `version ${endpoint.labels.version}`) : null),
            el('td', {}, el('span', { class: `badge ${endpoint.health}` }, endpoint.health),
              endpoint.ejection ? el('div', { class: 'meta' }, `${formatMs(endpoint.ejection.remainingMs)} left · ejected ${endpoint.ejection.ejections}×`) : null),
            el('td', {}, endpoint.activeRequests ?? '—'),
            el('td', {}, endpoint.cost === undefined || endpoint.cost === null ? '—' : Math.round(endpoint.cost * 100) / 100),
            el('td', {}, `${endpoint.locality || '—'} · ${endpoint.weight}`,
              endpoint.priority === undefined || endpoint.priority === null ? null : el('div', { class: 'meta' }, `priority ${endpoint.priority} (${endpoint.priorityLoadPercent}%)`))))))))
  replace('clusters', cards, 'No cluster has had a call yet.')
}

function renderGateway(state) {
  const section = document.getElementById('gateway')
  const gateway = state.gateway
  section.hidden = !gateway
  if (!gateway) return
  const ports = gateway.ports.map((port) =>
    el('div', { class: 'card', 'data-port': port.port },
      el('div', { class: 'title' }, `${port.protocol} :${port.port}`),
      el('div', { class: 'meta' }, port.servers.map((server) => `${server.hosts.join(', ')}${server.tls ? ` · TLS ${server.tls}` : ''}${server.httpsRedirect ? ' · httpsRedirect' : ''}`).join(' | ')),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'host'), el('th', {}, 'match'), el('th', {}, 'to'), el('th', {}, 'from'))),
        el('tbody', {}, port.hosts.flatMap((host) => host.routes.map((route, i) =>
          el('tr', { 'data-host': host.host },
            el('td', {}, i === 0 ? host.host + (host.httpsRedirect ? ' (→ https)' : '') : ''),
            el('td', {}, route.match),
            el('td', {}, route.action),
            el('td', {}, route.source))))))))
  const statuses = gateway.routeStatus.map((status) =>
    el('li', { 'data-route': status.route, 'data-accepted': String(status.accepted) },
      el('span', { class: `badge ${status.accepted ? 'healthy' : 'ejected'}` }, status.reason),
      ` HTTPRoute ${status.route} → ${status.parent}: ${status.message}`,
      status.resolvedRefs === 'ResolvedRefs' ? null : el('div', { class: 'meta' }, status.resolvedRefs)))
  const stats = gateway.stats
  const counters = el('div', { class: 'meta' }, `received ${stats.downstream_rq_total} · 2xx ${stats.downstream_rq_2xx} · 4xx ${stats.downstream_rq_4xx} · 5xx ${stats.downstream_rq_5xx} · client gone (DC) ${stats.downstream_cx_destroy_remote_active_rq} · no route ${stats.no_route} · 431 ${stats.downstream_rq_too_large_headers} · 413 ${stats.downstream_rq_too_large}`)
  replace('gateway', [el('div', { class: 'title' }, `${gateway.kind} ${gateway.name}`), counters, ...ports, ...(statuses.length ? [el('ul', { class: 'events' }, statuses)] : [])], 'No port.')
}

function renderEvents(state) {
  const items = state.events.map((event) =>
    el('li', { 'data-event': event.kind },
      el('span', { class: `kind ${event.kind}` }, event.kind),
      event.summary,
      event.cluster ? el('div', { class: 'meta' }, event.cluster) : null,
      el('span', { class: 'ago' }, `${formatMs(state.nowMs - event.atMs)} ago`)))
  replace('events', items.length === 0 ? [] : [el('ul', { class: 'events' }, items)], 'Nothing yet.')
}

function setStatus(text, live) {
  const status = document.getElementById('status')
  status.textContent = text
  status.className = `status ${live ? 'live' : 'down'}`
}

async function refresh() {
  try {
    const response = await fetch('/ui/state.json', { cache: 'no-store' })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    const state = await response.json()
    renderGateway(state)
    renderRoutes(state)
    renderServices(state)
    renderClusters(state)
    renderEvents(state)
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1)
    setStatus(`${state.ready ? 'live' : 'draining'} · config generation ${state.generation} · ${state.totalCalls} calls counted · updated ${new Date().toLocaleTimeString()}`, state.ready)
  } catch (error) {
    setStatus(`disconnected (${error.message}), retrying…`, false)
  } finally {
    setTimeout(refresh, refreshMs)
  }
}

refresh()
