/**
 * Stable codes of cross-resource analysis findings, each with the `istioctl analyze` message it
 * mirrors when Istio has one (https://istio.io/latest/docs/reference/config/analysis/). docs/rules.md
 * lists every code under "Finding codes"; a test keeps the two in step.
 */
export const ANALYSIS_CODES = {
  ANALYSIS_SUBSET_NOT_FOUND: {
    istio: 'IST0101',
    summary: 'A route or mirror names a subset that no DestinationRule for that host defines.',
  },
  ANALYSIS_HOST_NOT_DECLARED: {
    istio: 'IST0101',
    summary: 'A route or mirror destination host is declared by no ServiceEntry, VirtualService or DestinationRule in the files (Kubernetes service names are exempt).',
  },
  ANALYSIS_DESTINATION_RULE_HOST_NOT_DECLARED: {
    istio: 'IST0174',
    summary: 'A DestinationRule host is declared by no ServiceEntry or VirtualService in the files (Kubernetes service names are exempt).',
  },
  ANALYSIS_CONFLICTING_VIRTUAL_SERVICE_HOST: {
    istio: 'IST0109',
    summary: 'Two VirtualServices bound to the mesh define the same host; only the oldest applies.',
  },
  ANALYSIS_DELEGATE_NOT_FOUND: {
    istio: 'IST0101',
    summary: 'A route delegates to a VirtualService that is not in the files; the route is dropped.',
  },
  ANALYSIS_DELEGATE_HAS_HOSTS: {
    istio: undefined,
    summary: 'A route delegates to a VirtualService that has hosts (a root, not a delegate); the route is dropped.',
  },
  ANALYSIS_DELEGATE_NESTED: {
    istio: undefined,
    summary: 'A delegate VirtualService delegates again; Istio supports one level of delegation.',
  },
  ANALYSIS_DELEGATE_SHARED: {
    istio: undefined,
    summary: 'One delegate VirtualService is used by several root VirtualServices.',
  },
  ANALYSIS_DELEGATE_NOT_EXPORTED: {
    istio: undefined,
    summary: "A delegate VirtualService's exportTo does not include its root's namespace.",
  },
  ANALYSIS_DUPLICATE_DESTINATION_RULE: {
    istio: undefined,
    summary: "Several DestinationRules configure one host; they are merged and a later rule's top-level trafficPolicy is ignored.",
  },
  ANALYSIS_DUPLICATE_SUBSET: {
    istio: undefined,
    summary: 'A subset name is defined again by a later DestinationRule for the same host; the later definition is dropped.',
  },
  ANALYSIS_SUBSET_SELECTS_NO_ENDPOINT: {
    istio: 'IST0173',
    summary: 'A subset selects no endpoint of a ServiceEntry whose endpoints are all listed in the files.',
  },
  ANALYSIS_GATEWAY_NOT_FOUND: {
    istio: 'IST0101',
    summary: 'A VirtualService is bound to an Istio Gateway that is not in the files, while the files define other Gateways.',
  },
  ANALYSIS_ROUTE_NOT_ATTACHED: {
    istio: undefined,
    summary: "An HTTPRoute parentRef names a Gateway in the files but attaches to none of its listeners; the route status reason (NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent) says why.",
  },
  ANALYSIS_WORKLOAD_SELECTOR_MATCHES_NOTHING: {
    istio: 'IST0127',
    summary: 'A ServiceEntry workloadSelector selects no WorkloadEntry in its namespace.',
  },
} as const satisfies Readonly<Record<string, { readonly istio: string | undefined; readonly summary: string }>>

export type AnalysisCode = keyof typeof ANALYSIS_CODES
