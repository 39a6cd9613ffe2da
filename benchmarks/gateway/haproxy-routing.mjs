// HAProxy with the same routing as the gateway: Host shop.example and a path under /items go to
// the upstream; /admin with x-admin: yes gets 403; anything else 404. Bound to 127.0.0.1, one
// thread, keep-alive both sides, in the foreground as a child process, stopped by its PID.
import { haproxyDefaults, runHaproxy } from '../dataplane/haproxy.mjs'

export function startRoutingHaproxy(binary, upstreamPort) {
  return runHaproxy(binary, 'meshlet-bench-gateway-haproxy-', (port) => [
    ...haproxyDefaults({ forwardFor: true }),
    'frontend gateway',
    `  bind 127.0.0.1:${port}`,
    '  acl shop hdr(host),field(1,:) -i shop.example',
    '  acl admin path_beg /admin',
    '  acl admin_header req.hdr(x-admin) -m str yes',
    '  acl items path_beg /items',
    '  http-request set-header x-forwarded-proto http',
    '  http-request return status 403 if shop admin admin_header',
    '  http-request return status 404 unless shop items',
    '  use_backend items',
    'backend items',
    '  http-reuse always',
    `  server items 127.0.0.1:${upstreamPort}`,
  ])
}
