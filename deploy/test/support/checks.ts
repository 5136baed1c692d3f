/**
 * The deployment rules, as pure functions that return the problems they find ([] = fine).
 * The specs apply them to the real manifests and Tiltfile, and to broken copies, so that
 * every rule is shown to catch what it is meant to catch.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { containerPorts, containersOf, describeObject, type K8sObject, type Workload } from './k8s.js';
import type { TiltCalls } from './tilt.js';

// --- images -----------------------------------------------------------------------------------

/**
 * An image is acceptable when the Tiltfile builds it (referenced by its bare name, so Tilt
 * injects the build) or when it is a third-party image pinned to a tag other than `latest`
 * (or to a digest).
 */
export const imageProblems = (image: string, built: readonly string[]): string[] => {
  if (built.includes(image)) return [];
  if (image === '') return ['a container has no image'];
  const atDigest = image.indexOf('@');
  const name = atDigest >= 0 ? image.slice(0, atDigest) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon >= 0 ? name.slice(0, colon) : name;
  if (built.includes(repository)) {
    return [`${image}: the Tiltfile builds ${repository}; reference it without a tag so Tilt injects its build`];
  }
  if (repository.startsWith('workshare/'))
    return [`${image}: a workshare image that no docker_build in the Tiltfile builds`];
  if (atDigest >= 0)
    return /^sha256:[0-9a-f]{64}$/.test(image.slice(atDigest + 1)) ? [] : [`${image}: malformed digest`];
  if (colon < 0) return [`${image}: third-party image without a tag (pin a version)`];
  const tag = name.slice(colon + 1);
  if (tag === '' || tag === 'latest') return [`${image}: third-party image pinned to "${tag}" (pin a version)`];
  return [];
};

// --- probes and resources ---------------------------------------------------------------------

const probeHandlers = (probe: IProbe): string[] =>
  (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((handler) => probe[handler] !== undefined);

export const probeProblems = (c: IContainer): string[] => {
  const problems: string[] = [];
  for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
    const probe = c[kind];
    if (probe === undefined) problems.push(`container ${c.name} has no ${kind}`);
    else if (probeHandlers(probe).length !== 1) problems.push(`container ${c.name}: ${kind} needs exactly one handler`);
  }
  if (c.startupProbe !== undefined && probeHandlers(c.startupProbe).length !== 1) {
    problems.push(`container ${c.name}: startupProbe needs exactly one handler`);
  }
  return problems;
};

const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes quantity ("250m", "512Mi", "1") as a number, or undefined if malformed. */
export const quantity = (value: string | number | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (match === null) return undefined;
  const factor = SUFFIXES[match[2] ?? ''];
  return factor === undefined ? undefined : Number(match[1]) * factor;
};

export const resourceProblems = (c: IContainer): string[] => {
  const resources: IResourceRequirements = c.resources ?? {};
  const problems: string[] = [];
  for (const resource of ['cpu', 'memory']) {
    const request = quantity(resources.requests?.[resource]);
    const limit = quantity(resources.limits?.[resource]);
    if (request === undefined) problems.push(`container ${c.name} requests no ${resource}`);
    if (limit === undefined) problems.push(`container ${c.name} has no ${resource} limit`);
    if (request !== undefined && limit !== undefined && request > limit) {
      problems.push(`container ${c.name} requests more ${resource} than its limit`);
    }
  }
  return problems;
};

// --- security ---------------------------------------------------------------------------------

/** Volume types the Pod Security Standards' "restricted" profile allows. */
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * The hardened pod: every container non-root with an explicit non-zero uid, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, a read-only root filesystem;
 * no host namespaces, only the volume types the "restricted" Pod Security Standard allows, and
 * no service-account token (nothing here talks to the Kubernetes API).
 */
export const hardeningProblems = (pod: IPodSpec): string[] => {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true)
    problems.push('pod shares a host namespace');
  if (pod.automountServiceAccountToken !== false)
    problems.push('pod mounts a service-account token (set automountServiceAccountToken: false)');
  for (const volume of pod.volumes ?? []) {
    const types = Object.keys(volume).filter((key) => key !== 'name');
    for (const type of types)
      if (!RESTRICTED_VOLUME_TYPES.has(type))
        problems.push(`volume ${volume.name} is of type ${type}, not allowed by the restricted profile`);
  }
  for (const { container: c } of containersOf(pod)) {
    const own = c.securityContext ?? {};
    const runAsNonRoot = own.runAsNonRoot ?? podContext.runAsNonRoot;
    const runAsUser = own.runAsUser ?? podContext.runAsUser;
    const seccomp = own.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (runAsNonRoot !== true) problems.push(`container ${c.name} is not runAsNonRoot`);
    if (runAsUser === undefined || runAsUser === 0)
      problems.push(`container ${c.name} has no explicit non-root runAsUser`);
    if (own.privileged === true) problems.push(`container ${c.name} is privileged`);
    if (own.allowPrivilegeEscalation !== false) problems.push(`container ${c.name} allows privilege escalation`);
    if (own.readOnlyRootFilesystem !== true) problems.push(`container ${c.name} has a writable root filesystem`);
    if (!(own.capabilities?.drop ?? []).includes('ALL'))
      problems.push(`container ${c.name} does not drop ALL capabilities`);
    if ((own.capabilities?.add ?? []).length > 0) problems.push(`container ${c.name} adds capabilities`);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(`container ${c.name} has no RuntimeDefault seccomp profile`);
  }
  return problems;
};

/** Environment variables that carry credentials: they must come from a Secret, never inline. */
export const SECRET_ENV = /(^|_)(KEY|PASSWORD|SECRET|TOKEN)$|^EVENTSTORE_URL$/;

export const inlineSecretProblems = (pod: IPodSpec): string[] =>
  containersOf(pod).flatMap(({ container: c }) =>
    (c.env ?? [])
      .filter((e) => SECRET_ENV.test(e.name) && e.valueFrom?.secretKeyRef === undefined)
      .map((e) => `container ${c.name}: ${e.name} must come from a Secret (secretKeyRef), not be written inline`),
  );

// --- our services -----------------------------------------------------------------------------

export const SERVICE_UID = 10001;

/**
 * The workload that relays the shared event store's log to NATS: the relay, in replicas of which
 * one publishes (by lease). It takes no calls, so it checks no caller's token.
 */
export const RELAY_SERVICE = 'relay';

/** Replicas the relay runs at least: one publishes, another stands by to take over. */
export const RELAY_MIN_REPLICAS = 2;

/** The service that verifies callers' tokens: every other service reads its address. */
export const TOKEN_SERVICE = 'identity';

export type ServiceProtocol = 'grpc' | 'http';

/** A service pod listens on every interface of its pod (the services' default is loopback); NetworkPolicies decide who reaches it. */
export const ALL_INTERFACES = '0.0.0.0';

const envOf = (c: IContainer, name: string) => c.env?.find((e) => e.name === name);
const envValue = (c: IContainer, name: string): string | undefined => envOf(c, name)?.value;
const envFromSecret = (c: IContainer, name: string): boolean => envOf(c, name)?.valueFrom?.secretKeyRef !== undefined;

/**
 * How a service pod serves callers: through its container port named grpc (a gRPC service) or
 * http (the HTTP gateway). Undefined when it has neither or both.
 */
export const servingPortOf = (pod: IPodSpec): { protocol: ServiceProtocol; port: number } | undefined => {
  const ports = containerPorts(pod);
  const serving = (['grpc', 'http'] as const).flatMap((protocol) =>
    ports.filter((p) => p.name === protocol).map((p) => ({ protocol, port: p.port })),
  );
  return serving.length === 1 ? serving[0] : undefined;
};

/** The variable a service's gRPC address is read from, as the launcher names it: job-intake → JOB_INTAKE_ADDRESS. */
export const addressVariable = (service: string): string =>
  `${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_ADDRESS`;

/** gRPC services: native gRPC probes on the gRPC port, GRPC_PORT, the store and the bus. */
const grpcServiceProblems = (name: string, app: IContainer, port: number): string[] => {
  const problems: string[] = [];
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const probe = app[kind];
    if (probe?.grpc === undefined) problems.push(`${name}: ${kind} is not a native gRPC probe`);
    else if (probe.grpc.port !== port)
      problems.push(`${name}: ${kind} probes port ${probe.grpc.port}, not the gRPC port ${port}`);
  }
  if (envValue(app, 'GRPC_PORT') !== String(port)) problems.push(`${name}: GRPC_PORT is not ${port}`);
  if (envValue(app, 'GRPC_HOST') !== ALL_INTERFACES)
    problems.push(
      `${name}: GRPC_HOST is not ${ALL_INTERFACES} (the default is loopback, which nothing else in the cluster reaches)`,
    );
  if (!envFromSecret(app, 'EVENTSTORE_URL')) problems.push(`${name}: EVENTSTORE_URL does not come from a Secret`);
  if (!/^nats:\/\//.test(envValue(app, 'NATS_URL') ?? '')) problems.push(`${name}: NATS_URL is not a nats:// URL`);
  return problems;
};

const HTTP_PROBE_PATHS = { startupProbe: '/healthz', readinessProbe: '/readyz', livenessProbe: '/healthz' } as const;

/**
 * HTTP services (the gateway): GET probes on the http port (/healthz while starting and for
 * liveness, /readyz for readiness), PORT on every interface (HOST), no store (it reaches the
 * services over gRPC only), and NATS, where it hears identity's access revocations.
 */
const httpServiceProblems = (name: string, app: IContainer, port: number): string[] => {
  const problems: string[] = [];
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const get = app[kind]?.httpGet;
    const path = HTTP_PROBE_PATHS[kind];
    if (get === undefined || get.path !== path || (get.port !== 'http' && get.port !== port))
      problems.push(`${name}: ${kind} is not an HTTP GET of ${path} on the http port`);
  }
  if (envValue(app, 'PORT') !== String(port)) problems.push(`${name}: PORT is not ${port}`);
  if (envValue(app, 'HOST') !== ALL_INTERFACES)
    problems.push(`${name}: HOST is not ${ALL_INTERFACES} (the default is loopback, which no client reaches)`);
  if (envOf(app, 'EVENTSTORE_URL') !== undefined)
    problems.push(`${name}: an HTTP service must not read EVENTSTORE_URL (it reaches the services over gRPC only)`);
  if (!/^nats:\/\//.test(envValue(app, 'NATS_URL') ?? ''))
    problems.push(`${name}: NATS_URL is not a nats:// URL (identity's access revocations come over it)`);
  if ((app.envFrom ?? []).length > 0)
    problems.push(`${name}: an HTTP service takes no envFrom (what it reads must be visible)`);
  return problems;
};

/**
 * The conventions of a workshare service pod (built by the Tiltfile): uid 10001, one serving
 * port named grpc or http and probed accordingly, /tmp on an emptyDir (the root filesystem is
 * read-only), Prometheus annotations that point at the metrics port, the runtime environment
 * every service reads, and no EVENTS_RELAY (no service relays the store's log: the relay does).
 */
export const serviceConventionProblems = (workload: Workload): string[] => {
  const problems: string[] = [];
  const { pod, name } = workload;
  const app = pod.containers[0];
  if (pod.containers.length !== 1 || app === undefined) return [`${name}: a service pod runs exactly one container`];
  const podContext = pod.securityContext ?? {};
  if ((app.securityContext?.runAsUser ?? podContext.runAsUser) !== SERVICE_UID)
    problems.push(`${name}: runs as uid ${SERVICE_UID} (the image's user)`);
  if ((app.securityContext?.runAsGroup ?? podContext.runAsGroup) !== SERVICE_UID)
    problems.push(`${name}: runs as gid ${SERVICE_UID}`);

  const serving = servingPortOf(pod);
  const metrics = containerPorts(pod).find((p) => p.name === 'metrics');
  if (serving === undefined) problems.push(`${name}: needs exactly one container port named grpc or http`);
  if (metrics === undefined) problems.push(`${name}: no container port named metrics`);
  if (serving?.protocol === 'grpc') problems.push(...grpcServiceProblems(name, app, serving.port));
  if (serving?.protocol === 'http') problems.push(...httpServiceProblems(name, app, serving.port));

  const tmp = app.volumeMounts?.find((m) => m.mountPath === '/tmp');
  const tmpVolume = pod.volumes?.find((v) => v.name === tmp?.name);
  if (tmpVolume?.emptyDir === undefined)
    problems.push(`${name}: /tmp is not an emptyDir (the root filesystem is read-only)`);

  const annotations = workload.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true') problems.push(`${name}: pod lacks prometheus.io/scrape: "true"`);
  if (metrics !== undefined && annotations['prometheus.io/port'] !== String(metrics.port))
    problems.push(`${name}: prometheus.io/port is not the metrics port ${metrics.port}`);
  if (annotations['prometheus.io/path'] !== '/metrics') problems.push(`${name}: prometheus.io/path is not /metrics`);

  if (metrics !== undefined && envValue(app, 'METRICS_PORT') !== String(metrics.port))
    problems.push(`${name}: METRICS_PORT is not ${metrics.port}`);
  if (envValue(app, 'METRICS_HOST') !== ALL_INTERFACES)
    problems.push(
      `${name}: METRICS_HOST is not ${ALL_INTERFACES} (the default is loopback, which the collector does not reach)`,
    );
  if (!/^https?:\/\//.test(envValue(app, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? ''))
    problems.push(`${name}: OTEL_EXPORTER_OTLP_ENDPOINT is not an http(s) URL`);
  if (envValue(app, 'OTEL_SERVICE_NAME') !== name) problems.push(`${name}: OTEL_SERVICE_NAME is not ${name}`);

  if (envOf(app, 'EVENTS_RELAY') !== undefined)
    problems.push(
      `${name}: sets EVENTS_RELAY, which nothing reads (the ${RELAY_SERVICE} Deployment publishes the store's log)`,
    );
  return problems;
};

/**
 * The relay of the store's log to NATS: exactly one Deployment named relay among the services,
 * with at least RELAY_MIN_REPLICAS replicas (one holds the lease and publishes, the others stand
 * by), reading the store (the lease is one of its PostgreSQL advisory locks) and NATS, and no
 * Service (nobody calls it; its port is for the probes).
 */
export const relayProblems = (objects: readonly K8sObject[], services: readonly Workload[]): string[] => {
  const relays = services.filter((w) => w.name === RELAY_SERVICE);
  if (relays.length !== 1) return [`${relays.length} workloads named ${RELAY_SERVICE}, not exactly one`];
  const relay = relays[0]!;
  const problems: string[] = [];
  if (relay.kind !== 'Deployment') problems.push(`${RELAY_SERVICE}: is a ${relay.kind}, not a Deployment`);
  const replicas = (relay.object.spec as { replicas?: number }).replicas ?? 1;
  if (replicas < RELAY_MIN_REPLICAS)
    problems.push(
      `${RELAY_SERVICE}: runs ${replicas} replica(s); at least ${RELAY_MIN_REPLICAS}, so that a standby takes over`,
    );
  const app = relay.pod.containers[0];
  if (app === undefined || !envFromSecret(app, 'EVENTSTORE_URL'))
    problems.push(`${RELAY_SERVICE}: EVENTSTORE_URL does not come from a Secret`);
  if (app === undefined || !/^nats:\/\//.test(envValue(app, 'NATS_URL') ?? ''))
    problems.push(`${RELAY_SERVICE}: NATS_URL is not a nats:// URL`);
  for (const variable of ['RELAY_LEASE_ID', 'RELAY_LEASE_RETRY_MS']) {
    const value = app === undefined ? undefined : envValue(app, variable);
    if (value !== undefined && !/^\d+$/.test(value))
      problems.push(`${RELAY_SERVICE}: ${variable} is ${JSON.stringify(value)}, not a whole number`);
  }
  if (objects.some((o) => o.kind === 'Service' && o.metadata.name === RELAY_SERVICE))
    problems.push(`${RELAY_SERVICE}: has a Service, but nobody calls the relay`);
  return problems;
};

/** The service run in replicas beside the relay: its decisions about members' time hold their regions' leases. */
export const TEAM_SCHEDULING_SERVICE = 'team-scheduling';

/** The value of a Secret's key as the pod reads it (`data` is base64, `stringData` plain), if the Secret is there. */
const secretValue = (objects: readonly K8sObject[], name: string, key: string): string | undefined => {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
  const data = secret?.data as Record<string, string> | undefined;
  const plain = secret?.stringData as Record<string, string> | undefined;
  if (plain?.[key] !== undefined) return plain[key];
  return data?.[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8');
};

/**
 * Team scheduling in more than one replica is safe only where its leases and consumers reach
 * every replica: its store is PostgreSQL (the regions' leases are advisory locks of the store's
 * database; on KurrentDB they would reach one process only, and two replicas would double-book),
 * read from its Secret, and NATS_URL is set (the replicas share each durable consumer; without
 * NATS each would handle every event). One replica needs neither.
 */
export const teamSchedulingReplicaProblems = (
  objects: readonly K8sObject[],
  services: readonly Workload[],
): string[] => {
  const workload = services.find((w) => w.name === TEAM_SCHEDULING_SERVICE);
  if (workload === undefined) return [`no workload named ${TEAM_SCHEDULING_SERVICE}`];
  const replicas = (workload.object.spec as { replicas?: number }).replicas ?? 1;
  if (replicas <= 1) return [];
  const app = workload.pod.containers[0];
  const problems: string[] = [];
  const ref = app === undefined ? undefined : envOf(app, 'EVENTSTORE_URL')?.valueFrom?.secretKeyRef;
  const store = ref?.name === undefined ? undefined : secretValue(objects, ref.name, ref.key);
  if (store === undefined)
    problems.push(
      `${TEAM_SCHEDULING_SERVICE}: runs ${replicas} replicas, and its EVENTSTORE_URL is no Secret's value here`,
    );
  else if (!/^postgres(ql)?:\/\//i.test(store))
    problems.push(
      `${TEAM_SCHEDULING_SERVICE}: runs ${replicas} replicas on a ${store.split(':')[0]} store; its regions' leases are PostgreSQL advisory locks, so run one replica on any other store`,
    );
  if (app === undefined || !/^nats:\/\//.test(envValue(app, 'NATS_URL') ?? ''))
    problems.push(
      `${TEAM_SCHEDULING_SERVICE}: runs ${replicas} replicas without NATS_URL; each would handle every event, as the replicas share a durable consumer only on NATS`,
    );
  return problems;
};

/**
 * The gRPC services the pods can call, by the variable their address is read from: the
 * Service of the same name, at its port that targets the pod's grpc port.
 */
export const grpcAddresses = (
  objects: readonly K8sObject[],
  services: readonly Workload[],
): Map<string, { service: string; address: string | undefined }> =>
  new Map(
    services.flatMap((w) => {
      const serving = servingPortOf(w.pod);
      if (serving?.protocol !== 'grpc') return [];
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === w.name);
      const ports =
        (service?.spec as { ports?: { port: number; targetPort?: string | number }[] } | undefined)?.ports ?? [];
      const port = ports.find((p) => p.targetPort === 'grpc' || p.targetPort === serving.port);
      return [
        [
          addressVariable(w.name),
          { service: w.name, address: port === undefined ? undefined : `${w.name}:${port.port}` },
        ] as const,
      ];
    }),
  );

/**
 * Every <SERVICE>_ADDRESS a service pod reads is the address of that gRPC service's Service
 * (identity:50051, job-intake:50052, ...), and every service but identity and the relay (which
 * takes no calls) reads IDENTITY_ADDRESS (it verifies its callers' tokens there).
 */
export const addressProblems = (objects: readonly K8sObject[], services: readonly Workload[]): string[] => {
  const addresses = grpcAddresses(objects, services);
  const problems: string[] = [];
  for (const w of services) {
    const env = w.pod.containers[0]?.env ?? [];
    for (const e of env.filter((variable) => variable.name.endsWith('_ADDRESS'))) {
      const target = addresses.get(e.name);
      if (target === undefined) problems.push(`${w.name}: ${e.name} names no gRPC service of the platform`);
      else if (target.address === undefined)
        problems.push(`${w.name}: ${e.name} points at ${target.service}, whose Service has no port targeting grpc`);
      else if (e.value !== target.address)
        problems.push(`${w.name}: ${e.name} is ${e.value ?? '(not a plain value)'}, not ${target.address}`);
    }
    const tokens = addressVariable(TOKEN_SERVICE);
    if (w.name !== TOKEN_SERVICE && w.name !== RELAY_SERVICE && !env.some((e) => e.name === tokens))
      problems.push(`${w.name}: no ${tokens} (callers' tokens are verified by ${TOKEN_SERVICE})`);
  }
  return problems;
};

// --- network policies ----------------------------------------------------------------------------

/** The label of the pods allowed to scrape /metrics: the OpenTelemetry collector's. */
export const METRICS_SCRAPER = { 'app.kubernetes.io/name': 'otel-collector' } as const;
/** The label every service pod (the gateway's among them) carries: the pods that may call the gRPC ports. */
export const SERVICE_PODS = { 'app.kubernetes.io/component': 'service' } as const;

interface PolicyPeer {
  readonly podSelector?: {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: unknown[];
  };
  readonly namespaceSelector?: unknown;
  readonly ipBlock?: unknown;
}
interface PolicyRule {
  readonly from?: readonly PolicyPeer[];
  readonly ports?: readonly { readonly port?: string | number; readonly protocol?: string }[];
}
interface PolicySpec {
  readonly podSelector?: {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: unknown[];
  };
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly PolicyRule[];
}

const matches = (labels: Readonly<Record<string, string>>, selector: PolicySpec['podSelector']): boolean =>
  selector !== undefined &&
  (selector.matchExpressions ?? []).length === 0 &&
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

/**
 * Who reaches a port of a pod, by the ingress policies that select it: `closed` when a policy
 * selects the pod and none opens the port; `open` when none selects the pod, or a rule lets
 * anyone in; else the pod selectors (matchLabels, as JSON) let in. A peer of another kind (a
 * namespace, an IP block) is named `<kind>`.
 */
export const ingressTo = (
  objects: readonly K8sObject[],
  labels: Readonly<Record<string, string>>,
  port: { readonly name: string; readonly number: number },
): 'open' | 'closed' | string[] => {
  const policies = objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map((o) => o.spec as PolicySpec)
    .filter((spec) => (spec.policyTypes ?? ['Ingress']).includes('Ingress') && matches(labels, spec.podSelector));
  if (policies.length === 0) return 'open';
  const peers = new Set<string>();
  for (const rule of policies.flatMap((p) => p.ingress ?? [])) {
    const ports = rule.ports ?? [];
    const covers =
      ports.length === 0 || ports.some((p) => p.port === undefined || p.port === port.name || p.port === port.number);
    if (!covers) continue;
    if (rule.from === undefined || rule.from.length === 0) return 'open';
    for (const peer of rule.from) {
      if (peer.namespaceSelector !== undefined) peers.add('namespaceSelector');
      else if (peer.ipBlock !== undefined) peers.add('ipBlock');
      else if ((peer.podSelector?.matchExpressions ?? []).length > 0) peers.add('matchExpressions');
      else peers.add(JSON.stringify(peer.podSelector?.matchLabels ?? {}));
    }
  }
  return peers.size === 0 ? 'closed' : [...peers].sort();
};

/**
 * The services' ports as the NetworkPolicies leave them: a gRPC port reachable only from the
 * platform's own pods (SERVICE_PODS: the gateway and the services), /metrics only from the
 * collector (METRICS_SCRAPER), the gateway's http port from anywhere (it is the edge).
 */
export const networkPolicyProblems = (objects: readonly K8sObject[], services: readonly Workload[]): string[] => {
  const problems: string[] = [];
  const only = (labels: Readonly<Record<string, string>>) => [JSON.stringify(labels)];
  for (const w of services) {
    const labels = w.template.metadata?.labels ?? {};
    for (const port of containerPorts(w.pod)) {
      const reached = ingressTo(objects, labels, { name: port.name ?? '', number: port.port });
      const wanted =
        port.name === 'grpc'
          ? only(SERVICE_PODS)
          : port.name === 'metrics'
            ? only(METRICS_SCRAPER)
            : port.name === 'http'
              ? 'open'
              : 'closed';
      if (JSON.stringify(reached) !== JSON.stringify(wanted))
        problems.push(
          `${w.name}: port ${port.name ?? port.port} is reachable by ${JSON.stringify(reached)}, not ${JSON.stringify(wanted)}`,
        );
    }
  }
  return problems;
};

// --- references between objects ----------------------------------------------------------------

const keysOf = (o: K8sObject): Set<string> => {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData', 'binaryData']) {
    const value = o[field];
    if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) keys.add(key);
  }
  return keys;
};

/**
 * Every Secret / ConfigMap a pod refers to exists (with the key it reads), every Service
 * selects some pod and targets ports that pod declares, every workload lives in the namespace.
 */
export const referenceProblems = (
  objects: readonly K8sObject[],
  workloads: readonly Workload[],
  namespace: string,
): string[] => {
  const problems: string[] = [];
  const find = (kind: string, name: string): K8sObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);

  for (const o of objects) {
    if (o.kind === 'Namespace') continue;
    if (o.metadata.namespace !== namespace) problems.push(`${describeObject(o)} is not in namespace ${namespace}`);
  }
  for (const w of workloads) {
    const refer = (kind: 'Secret' | 'ConfigMap', name: string, key: string | undefined, where: string): void => {
      const target = find(kind, name);
      if (target === undefined)
        problems.push(`${w.kind}/${w.name}: ${where} refers to ${kind} ${name}, which is not rendered`);
      else if (key !== undefined && !keysOf(target).has(key))
        problems.push(`${w.kind}/${w.name}: ${where} reads key ${key}, which ${kind} ${name} lacks`);
    };
    for (const { container: c } of containersOf(w.pod)) {
      for (const e of c.env ?? []) {
        const secret = e.valueFrom?.secretKeyRef;
        if (secret !== undefined) refer('Secret', secret.name ?? '', secret.key, `env ${e.name}`);
        const config = e.valueFrom?.configMapKeyRef;
        if (config !== undefined) refer('ConfigMap', config.name ?? '', config.key, `env ${e.name}`);
      }
      for (const source of c.envFrom ?? []) {
        if (source.secretRef !== undefined) refer('Secret', source.secretRef.name ?? '', undefined, 'envFrom');
        if (source.configMapRef !== undefined) refer('ConfigMap', source.configMapRef.name ?? '', undefined, 'envFrom');
      }
      const mounted = new Set((c.volumeMounts ?? []).map((m) => m.name));
      const declared = new Set([
        ...(w.pod.volumes ?? []).map((v) => v.name),
        ...(
          (w.object.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] }).volumeClaimTemplates ?? []
        ).map((t) => t.metadata?.name ?? ''),
      ]);
      for (const name of mounted)
        if (!declared.has(name))
          problems.push(`${w.kind}/${w.name}: container ${c.name} mounts volume ${name}, which is not declared`);
    }
    for (const v of w.pod.volumes ?? []) {
      if (v.configMap !== undefined) refer('ConfigMap', v.configMap.name ?? '', undefined, `volume ${v.name}`);
      if (v.secret !== undefined) refer('Secret', v.secret.secretName ?? '', undefined, `volume ${v.name}`);
    }
  }

  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const spec = service.spec as {
      selector?: Record<string, string>;
      ports?: { name?: string; port: number; targetPort?: string | number }[];
    };
    const selector = Object.entries(spec.selector ?? {});
    const selected = workloads.filter(
      (w) => selector.length > 0 && selector.every(([k, v]) => w.template.metadata?.labels?.[k] === v),
    );
    if (selected.length === 0) {
      problems.push(`Service/${service.metadata.name} selects no pod`);
      continue;
    }
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = selected.some((w) =>
        containerPorts(w.pod).some((p) => (typeof target === 'number' ? p.port === target : p.name === target)),
      );
      if (!served)
        problems.push(
          `Service/${service.metadata.name} port ${port.name ?? port.port} targets ${target}, which no selected container declares`,
        );
    }
  }
  return problems;
};

// --- Tilt against the manifests -------------------------------------------------------------------

export const TILT_LABELS = new Set(['infra', 'services', 'observability']);

/**
 * Every k8s_resource names a rendered workload, forwards only ports its containers declare
 * (to distinct local ports), depends only on resources Tilt knows, and carries one of the
 * labels; every workload has its k8s_resource; every built image is used by a workload; every
 * service waits for PostgreSQL, NATS and the services whose address it reads.
 */
export const tiltProblems = (tilt: TiltCalls, workloads: readonly Workload[]): string[] => {
  const problems: string[] = [];
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const resourceNames = new Set([
    ...tilt.k8s_resource.map((r) => r.new_name || r.workload),
    ...tilt.local_resource.map((r) => r.name),
  ]);
  const localPorts = new Map<number, string>();

  for (const r of tilt.k8s_resource) {
    const workload = byName.get(r.workload);
    if (workload === undefined) {
      problems.push(`k8s_resource('${r.workload}') names no rendered workload`);
      continue;
    }
    const ports = containerPorts(workload.pod).map((p) => p.port);
    for (const forward of r.port_forwards) {
      if (forward.invalid !== undefined) {
        problems.push(`k8s_resource('${r.workload}'): port forward "${forward.invalid}" is malformed`);
        continue;
      }
      if (forward.container === undefined || !ports.includes(forward.container)) {
        problems.push(
          `k8s_resource('${r.workload}'): port forward to ${forward.container} matches no container port (${ports.join(', ')})`,
        );
      }
      if (forward.local !== undefined) {
        const owner = localPorts.get(forward.local);
        if (owner !== undefined)
          problems.push(`local port ${forward.local} is forwarded by both ${owner} and ${r.workload}`);
        localPorts.set(forward.local, r.workload);
      }
    }
    for (const dep of r.resource_deps)
      if (!resourceNames.has(dep)) problems.push(`k8s_resource('${r.workload}') depends on unknown resource ${dep}`);
    if (r.labels.length === 0) problems.push(`k8s_resource('${r.workload}') has no label`);
    for (const label of r.labels)
      if (!TILT_LABELS.has(label))
        problems.push(`k8s_resource('${r.workload}') has label ${label}, not one of ${[...TILT_LABELS].join(', ')}`);
  }
  for (const r of tilt.local_resource)
    for (const dep of r.resource_deps)
      if (!resourceNames.has(dep)) problems.push(`local_resource('${r.name}') depends on unknown resource ${dep}`);

  for (const w of workloads)
    if (!tilt.k8s_resource.some((r) => r.workload === w.name))
      problems.push(`${w.kind}/${w.name} has no k8s_resource in the Tiltfile`);

  const built = tilt.docker_build.map((b) => b.ref);
  for (const ref of built) {
    const users = workloads.filter((w) => containersOf(w.pod).some(({ container }) => container.image === ref));
    if (users.length === 0) {
      problems.push(`docker_build('${ref}') builds an image no workload uses`);
      continue;
    }
    for (const w of users) {
      const r = tilt.k8s_resource.find((resource) => resource.workload === w.name);
      if (r === undefined) continue;
      for (const needed of ['postgres', 'nats']) {
        if (!r.resource_deps.includes(needed)) problems.push(`k8s_resource('${w.name}') does not wait for ${needed}`);
      }
      // A service starts after the services it calls (their address is in its environment).
      for (const e of w.pod.containers[0]?.env ?? []) {
        const callee = workloads.find((other) => other !== w && addressVariable(other.name) === e.name);
        if (callee !== undefined && !r.resource_deps.includes(callee.name))
          problems.push(
            `k8s_resource('${w.name}') does not wait for ${callee.name}, whose address it reads (${e.name})`,
          );
      }
    }
  }
  return problems;
};

/**
 * The build arguments of each image: only arguments deploy/Dockerfile declares (Docker ignores
 * others silently), SERVICE the service's name, PORT the port its pod serves on (grpc or http).
 */
export const buildArgProblems = (
  tilt: TiltCalls,
  workloads: readonly Workload[],
  dockerfileArgs: readonly string[],
): string[] => {
  const problems: string[] = [];
  for (const build of tilt.docker_build) {
    const service = build.ref.replace(/^workshare\//, '');
    for (const arg of Object.keys(build.build_args))
      if (!dockerfileArgs.includes(arg))
        problems.push(`docker_build('${build.ref}'): build arg ${arg} is not declared by deploy/Dockerfile`);
    if (build.build_args.SERVICE !== service) problems.push(`docker_build('${build.ref}'): SERVICE is not ${service}`);
    for (const w of workloads.filter((workload) => workload.pod.containers.some((c) => c.image === build.ref))) {
      const serving = servingPortOf(w.pod);
      if (serving !== undefined && build.build_args.PORT !== String(serving.port)) {
        problems.push(
          `docker_build('${build.ref}'): PORT is ${build.build_args.PORT ?? '(unset)'}, not the ${serving.protocol} port ${serving.port} of ${w.name}`,
        );
      }
    }
  }
  return problems;
};
