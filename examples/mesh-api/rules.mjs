// The rules every example loads: beta users go to v2, everyone else to v1; calls are retried and bounded.
export const CATALOG_RULES = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog, namespace: default }
spec:
  hosts: [catalog]
  http:
    - name: beta-to-v2
      match: [{ headers: { x-user-tier: { exact: beta } } }]
      route: [{ destination: { host: catalog, subset: v2 } }]
    - name: everyone-to-v1
      route: [{ destination: { host: catalog, subset: v1 } }]
      timeout: 2s
      retries: { attempts: 2, perTryTimeout: 500ms, retryOn: "connect-failure,refused-stream,5xx" }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: catalog, namespace: default }
spec:
  host: catalog
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`
