/**
 * deploy/k8s as `kubectl kustomize` renders it (with development secrets generated in a
 * throw-away copy): complete, valid against the Kubernetes schemas, hardened, consistent.
 * Each rule is also shown failing on a broken copy of the real manifests.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { parse as parseYaml } from 'yaml';
import {
  addressProblems,
  hardeningProblems,
  ingressTo,
  networkPolicyProblems,
  imageProblems,
  inlineSecretProblems,
  probeProblems,
  referenceProblems,
  relayProblems,
  resourceProblems,
  serviceConventionProblems,
  teamSchedulingReplicaProblems,
} from './support/checks.js';
import {
  containersOf,
  describeObject,
  k8sDir,
  kustomizeBuild,
  parseManifests,
  renderDeploy,
  withKubectl,
  workloadsOf,
  type K8sObject,
  type Workload,
} from './support/k8s.js';
import { schemaProblems } from './support/models.js';

const NAMESPACE = 'workshare';

/** A workload of a deep copy of `objects`, to break on purpose. */
const brokenCopy = (
  objects: readonly K8sObject[],
  name: string,
): { objects: K8sObject[]; workloads: Workload[]; workload: Workload; app: IContainer } => {
  const copy = structuredClone([...objects]);
  const workloads = workloadsOf(copy);
  const workload = workloads.find((w) => w.name === name);
  const app = workload?.pod.containers[0];
  if (workload === undefined || app === undefined) throw new Error(`no workload ${name}`);
  return { objects: copy, workloads, workload, app };
};

const isOurs = (w: Workload): boolean => w.pod.containers.some((c) => (c.image ?? '').startsWith('workshare/'));

withKubectl('deploy/k8s (kubectl kustomize)', () => {
  let objects: K8sObject[] = [];
  let workloads: Workload[] = [];

  beforeAll(() => {
    objects = renderDeploy();
    workloads = workloadsOf(objects);
  });

  it('renders the whole platform: namespace, NATS, PostgreSQL, collector, Jaeger, the services, the gateway and the relay', () => {
    expect(workloads.map((w) => `${w.kind}/${w.name}`).sort()).toEqual([
      'Deployment/audit',
      'Deployment/gateway',
      'Deployment/identity',
      'Deployment/jaeger',
      'Deployment/job-intake',
      'Deployment/otel-collector',
      'Deployment/relay',
      'Deployment/settlement',
      'Deployment/task-decomposition',
      'Deployment/team-scheduling',
      'Deployment/time-tracking',
      'StatefulSet/nats',
      'StatefulSet/postgres',
    ]);
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
    expect(services.sort()).toEqual([
      'audit',
      'gateway',
      'identity',
      'jaeger',
      'job-intake',
      'nats',
      'nats-headless',
      'otel-collector',
      'postgres',
      'postgres-headless',
      'settlement',
      'task-decomposition',
      'team-scheduling',
      'time-tracking',
    ]);
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([NAMESPACE]);
    // Generated secrets carry a content hash in their names.
    expect(
      objects
        .filter((o) => o.kind === 'Secret')
        .map((o) => o.metadata.name.replace(/-[a-z0-9]{10}$/, ''))
        .sort(),
    ).toEqual(['eventstore', 'identity-keys', 'postgres', 'seal-key']);
  });

  it('cannot render without the secret files (they are never committed)', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'workshare-k8s-nosecrets-'));
    try {
      const ownSecrets = path.join(k8sDir, 'overlays', 'dev', 'secrets');
      cpSync(k8sDir, work, {
        recursive: true,
        filter: (src) => src !== ownSecrets && !src.startsWith(ownSecrets + path.sep),
      });
      const result = kustomizeBuild(work);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/secrets\/(postgres-password|eventstore-url|identity-|seal-key)/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('the base renders on its own and holds no Secret (an overlay brings them)', () => {
    const base = kustomizeBuild(path.join(k8sDir, 'base'));
    expect(base.ok).toBe(true);
    if (!base.ok) return;
    const baseObjects = parseManifests(base.text);
    expect(baseObjects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(workloadsOf(baseObjects)).toHaveLength(workloads.length);
  });

  it('every object validates against its Kubernetes schema (kubernetes-models)', () => {
    const problems = objects.flatMap((o) => schemaProblems(o).map((p) => `${describeObject(o)}: ${p}`));
    expect(problems).toEqual([]);
    expect(objects.length).toBeGreaterThan(15);
  });

  it('schema validation fails a broken copy: wrong type, unknown kind', () => {
    const { workload, app } = brokenCopy(objects, 'identity');
    (app as { ports: unknown[] }).ports = [{ containerPort: '50051' }];
    expect(schemaProblems(workload.object).join()).toMatch(/containerPort must be integer/);
    expect(schemaProblems({ ...workload.object, kind: 'Deploymint' })).toEqual([
      'no Kubernetes schema known for apiVersion apps/v1, kind Deploymint',
    ]);
  });

  it('third-party images are pinned to a version; ours are workshare/<service>', () => {
    const images = workloads.flatMap((w) => containersOf(w.pod).map(({ container }) => container.image ?? ''));
    const ours = images.filter((i) => i.startsWith('workshare/'));
    expect(ours.sort()).toEqual([
      'workshare/audit',
      'workshare/gateway',
      'workshare/identity',
      'workshare/job-intake',
      'workshare/relay',
      'workshare/settlement',
      'workshare/task-decomposition',
      'workshare/team-scheduling',
      'workshare/time-tracking',
    ]);
    expect(images.flatMap((i) => imageProblems(i, ours))).toEqual([]);
    expect(images.sort()).toEqual(
      expect.arrayContaining([
        'nats:2.9-alpine',
        'postgres:15-alpine',
        expect.stringMatching(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/),
        expect.stringMatching(/^jaegertracing\/all-in-one:\d+\.\d+\.\d+$/),
      ]),
    );
  });

  it('every container has readiness and liveness probes, requests and limits', () => {
    const problems = workloads.flatMap((w) =>
      w.pod.containers.flatMap((c) => [...probeProblems(c), ...resourceProblems(c)].map((p) => `${w.name}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  it('a container without probes or limits is caught', () => {
    const { app } = brokenCopy(objects, 'nats');
    delete app.readinessProbe;
    delete app.resources?.limits;
    expect([...probeProblems(app), ...resourceProblems(app)]).toEqual([
      'container nats has no readinessProbe',
      'container nats has no cpu limit',
      'container nats has no memory limit',
    ]);
  });

  it('every pod is hardened: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const problems = workloads.flatMap((w) =>
      [...hardeningProblems(w.pod), ...inlineSecretProblems(w.pod)].map((p) => `${w.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    [
      'writable root filesystem',
      (c: IContainer) => void (c.securityContext = { ...c.securityContext, readOnlyRootFilesystem: false }),
      'has a writable root filesystem',
    ],
    [
      'privilege escalation',
      (c: IContainer) => void (c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true }),
      'allows privilege escalation',
    ],
    [
      'capabilities kept',
      (c: IContainer) => void (c.securityContext = { ...c.securityContext, capabilities: { drop: [] } }),
      'does not drop ALL capabilities',
    ],
    [
      'capability added',
      (c: IContainer) =>
        void (c.securityContext = { ...c.securityContext, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }),
      'adds capabilities',
    ],
    [
      'root user',
      (c: IContainer) => void (c.securityContext = { ...c.securityContext, runAsUser: 0 }),
      'has no explicit non-root runAsUser',
    ],
    [
      'inline key',
      (c: IContainer) => void c.env?.push({ name: 'IDENTITY_MASTER_KEY', value: 'c2VjcmV0' }),
      'IDENTITY_MASTER_KEY must come from a Secret',
    ],
  ])('hardening catches a %s', (_what, breakIt, expected) => {
    const { workload, app } = brokenCopy(objects, 'identity');
    breakIt(app);
    expect([...hardeningProblems(workload.pod), ...inlineSecretProblems(workload.pod)].join('\n')).toContain(expected);
  });

  it('hardening catches pod-level weakenings: seccomp, non-root, token, hostPath', () => {
    const { workload, app } = brokenCopy(objects, 'postgres');
    workload.pod.securityContext = { runAsUser: 70 };
    delete app.securityContext?.runAsNonRoot;
    workload.pod.automountServiceAccountToken = true;
    workload.pod.volumes = [...(workload.pod.volumes ?? []), { name: 'host', hostPath: { path: '/var/run' } }];
    const problems = hardeningProblems(workload.pod);
    expect(problems).toEqual(
      expect.arrayContaining([
        'pod mounts a service-account token (set automountServiceAccountToken: false)',
        'volume host is of type hostPath, not allowed by the restricted profile',
        'container postgres is not runAsNonRoot',
        'container postgres has no RuntimeDefault seccomp profile',
      ]),
    );
  });

  it('the namespace enforces the restricted Pod Security Standard', () => {
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('our services follow the pod conventions: uid 10001, probes on the serving port, /tmp emptyDir, metrics, environment, no EVENTS_RELAY', () => {
    const ours = workloads.filter(isOurs);
    expect(ours.map((w) => w.name).sort()).toEqual([
      'audit',
      'gateway',
      'identity',
      'job-intake',
      'relay',
      'settlement',
      'task-decomposition',
      'team-scheduling',
      'time-tracking',
    ]);
    expect(ours.flatMap(serviceConventionProblems)).toEqual([]);
  });

  it('service conventions catch an HTTP probe on a gRPC service, a wrong uid, a missing /tmp and a wrong metrics port', () => {
    const { workload, app } = brokenCopy(objects, 'identity');
    app.readinessProbe = { httpGet: { path: '/', port: 8080 } };
    app.securityContext = { ...app.securityContext, runAsUser: 1000 };
    app.volumeMounts = [];
    const annotations = workload.template.metadata?.annotations;
    if (annotations !== undefined) annotations['prometheus.io/port'] = '9090';
    expect(serviceConventionProblems(workload)).toEqual([
      "identity: runs as uid 10001 (the image's user)",
      'identity: readinessProbe is not a native gRPC probe',
      'identity: /tmp is not an emptyDir (the root filesystem is read-only)',
      'identity: prometheus.io/port is not the metrics port 9464',
    ]);
  });

  it('every shared setting reaches every service pod (the common component applies to each)', () => {
    for (const w of workloads.filter(isOurs)) {
      const app = w.pod.containers[0];
      expect({
        service: w.name,
        preStop: app?.lifecycle?.preStop?.exec?.command,
        grace: w.pod.terminationGracePeriodSeconds,
        env: app?.env?.map((e) => e.name),
      }).toEqual({
        service: w.name,
        preStop: ['sleep', '5'],
        grace: 30,
        env: expect.arrayContaining([
          'METRICS_PORT',
          'METRICS_HOST',
          'OTEL_EXPORTER_OTLP_ENDPOINT',
          'OTEL_RESOURCE_ATTRIBUTES',
          'LOG_LEVEL',
        ]),
      });
      // $(POD_NAME) only expands when POD_NAME is defined earlier in the list.
      const names = app?.env?.map((e) => e.name) ?? [];
      expect(names.indexOf('POD_NAME')).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
      expect(names.indexOf('POD_NAMESPACE')).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
      expect(names.indexOf('POD_NAME')).toBeGreaterThanOrEqual(0);
    }
  });

  it('the gateway serves HTTP on its port named http on every interface, probed with GET /healthz and /readyz, reads no store and hears NATS', () => {
    const gateway = workloads.find((w) => w.name === 'gateway');
    const app = gateway?.pod.containers[0];
    expect(app?.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ['http', 8080],
      ['metrics', 9464],
    ]);
    expect([app?.startupProbe?.httpGet, app?.readinessProbe?.httpGet, app?.livenessProbe?.httpGet]).toEqual([
      { path: '/healthz', port: 'http' },
      { path: '/readyz', port: 'http' },
      { path: '/healthz', port: 'http' },
    ]);
    const env = new Map((app?.env ?? []).map((e) => [e.name, e.value]));
    expect(
      Object.fromEntries(
        [
          'PORT',
          'HOST',
          'IDENTITY_ADDRESS',
          'JOB_INTAKE_ADDRESS',
          'TASK_DECOMPOSITION_ADDRESS',
          'TEAM_SCHEDULING_ADDRESS',
          'TIME_TRACKING_ADDRESS',
          'SETTLEMENT_ADDRESS',
          'AUDIT_ADDRESS',
          'NATS_URL',
          'GATEWAY_RATE_LIMIT_PER_MINUTE',
          'METRICS_HOST',
        ].map((n) => [n, env.get(n)]),
      ),
    ).toEqual({
      PORT: '8080',
      HOST: '0.0.0.0',
      IDENTITY_ADDRESS: 'identity:50051',
      JOB_INTAKE_ADDRESS: 'job-intake:50052',
      TASK_DECOMPOSITION_ADDRESS: 'task-decomposition:50053',
      TEAM_SCHEDULING_ADDRESS: 'team-scheduling:50054',
      TIME_TRACKING_ADDRESS: 'time-tracking:50062',
      SETTLEMENT_ADDRESS: 'settlement:50063',
      AUDIT_ADDRESS: 'audit:50064',
      NATS_URL: 'nats://nats:4222',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '300',
      METRICS_HOST: '0.0.0.0',
    });
    expect(env.has('EVENTSTORE_URL') || env.has('GRPC_PORT') || env.has('GRPC_HOST')).toBe(false);
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'gateway');
    expect((service?.spec as { ports: { name: string; port: number; targetPort: string }[] }).ports).toEqual(
      expect.arrayContaining([{ name: 'http', port: 8080, targetPort: 'http', appProtocol: 'http' }]),
    );
  });

  it('HTTP conventions catch a gRPC probe, a wrong path, a probe off the http port, a wrong PORT or HOST, the store in the gateway, and no NATS', () => {
    const { workload, app } = brokenCopy(objects, 'gateway');
    app.startupProbe = { grpc: { port: 8080 } };
    app.readinessProbe = { httpGet: { path: '/healthz', port: 'http' } };
    app.livenessProbe = { httpGet: { path: '/healthz', port: 'metrics' } };
    const port = app.env?.find((e) => e.name === 'PORT');
    if (port === undefined) throw new Error('the gateway reads no PORT');
    port.value = '8081';
    app.env = (app.env ?? []).filter((e) => e.name !== 'NATS_URL' && e.name !== 'HOST' && e.name !== 'METRICS_HOST');
    app.env.push({ name: 'EVENTSTORE_URL', valueFrom: { secretKeyRef: { name: 'eventstore', key: 'url' } } });
    expect(serviceConventionProblems(workload)).toEqual([
      'gateway: startupProbe is not an HTTP GET of /healthz on the http port',
      'gateway: readinessProbe is not an HTTP GET of /readyz on the http port',
      'gateway: livenessProbe is not an HTTP GET of /healthz on the http port',
      'gateway: PORT is not 8080',
      'gateway: HOST is not 0.0.0.0 (the default is loopback, which no client reaches)',
      'gateway: an HTTP service must not read EVENTSTORE_URL (it reaches the services over gRPC only)',
      "gateway: NATS_URL is not a nats:// URL (identity's access revocations come over it)",
      'gateway: METRICS_HOST is not 0.0.0.0 (the default is loopback, which the collector does not reach)',
    ]);
  });

  it('service conventions catch a gRPC service left on loopback', () => {
    const { workload, app } = brokenCopy(objects, 'job-intake');
    app.env = (app.env ?? []).filter((e) => e.name !== 'GRPC_HOST');
    expect(serviceConventionProblems(workload)).toEqual([
      'job-intake: GRPC_HOST is not 0.0.0.0 (the default is loopback, which nothing else in the cluster reaches)',
    ]);
  });

  it('network policies: gRPC only from the services and the gateway, /metrics only from the collector, the gateway’s http from anywhere', () => {
    const ours = workloads.filter(isOurs);
    expect(networkPolicyProblems(objects, ours)).toEqual([]);
    const identity = ours.find((w) => w.name === 'identity')!;
    const labels = identity.template.metadata?.labels ?? {};
    expect(ingressTo(objects, labels, { name: 'grpc', number: 50051 })).toEqual([
      '{"app.kubernetes.io/component":"service"}',
    ]);
    expect(ingressTo(objects, labels, { name: 'metrics', number: 9464 })).toEqual([
      '{"app.kubernetes.io/name":"otel-collector"}',
    ]);
    expect(ingressTo(objects, labels, { name: 'other', number: 1234 })).toBe('closed');
    const collector = workloads.find((w) => w.name === 'otel-collector');
    expect(collector?.template.metadata?.labels?.['app.kubernetes.io/name']).toBe('otel-collector');
    expect(
      objects
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['gateway-http', 'services-grpc', 'services-metrics']);
  });

  it('network policy checks catch gRPC open to all, metrics open to another scraper, and no policy at all', () => {
    const open = structuredClone(objects);
    const grpc = open.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'services-grpc')!;
    (grpc.spec as { ingress: { from?: unknown[] }[] }).ingress[0]!.from = undefined;
    const metrics = open.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'services-metrics')!;
    (metrics.spec as { ingress: { from: { podSelector: unknown }[] }[] }).ingress[0]!.from[0]!.podSelector = {
      matchLabels: { 'app.kubernetes.io/name': 'prometheus' },
    };
    const problems = networkPolicyProblems(open, workloadsOf(open).filter(isOurs));
    expect(problems).toContain(
      'identity: port grpc is reachable by "open", not ["{\\"app.kubernetes.io/component\\":\\"service\\"}"]',
    );
    expect(problems).toContain(
      'gateway: port metrics is reachable by ["{\\"app.kubernetes.io/name\\":\\"prometheus\\"}"], not ["{\\"app.kubernetes.io/name\\":\\"otel-collector\\"}"]',
    );
    const none = objects.filter((o) => o.kind !== 'NetworkPolicy');
    expect(networkPolicyProblems(none, workloadsOf(none).filter(isOurs))).toContain(
      'job-intake: port grpc is reachable by "open", not ["{\\"app.kubernetes.io/component\\":\\"service\\"}"]',
    );
  });

  it('service conventions catch a service port named neither grpc nor http, and one with both', () => {
    const renamed = brokenCopy(objects, 'gateway');
    const http = renamed.app.ports?.find((p) => p.name === 'http');
    if (http === undefined) throw new Error('the gateway has no http port');
    http.name = 'web';
    expect(serviceConventionProblems(renamed.workload)).toContain(
      'gateway: needs exactly one container port named grpc or http',
    );
    const both = brokenCopy(objects, 'job-intake');
    both.app.ports?.push({ name: 'http', containerPort: 8080 });
    expect(serviceConventionProblems(both.workload)).toContain(
      'job-intake: needs exactly one container port named grpc or http',
    );
  });

  it("the relay alone publishes the store's log to NATS: two replicas, one lease; no service sets EVENTS_RELAY", () => {
    const ours = workloads.filter(isOurs);
    expect(relayProblems(objects, ours)).toEqual([]);
    expect(ours.filter((w) => w.pod.containers[0]?.env?.some((e) => e.name === 'EVENTS_RELAY'))).toEqual([]);
    const relay = ours.find((w) => w.name === 'relay');
    const app = relay?.pod.containers[0];
    const env = new Map((app?.env ?? []).map((e) => [e.name, e]));
    expect({
      replicas: (relay?.object.spec as { replicas?: number }).replicas,
      ports: app?.ports?.map((p) => [p.name, p.containerPort]),
      probes: [app?.startupProbe?.grpc, app?.readinessProbe?.grpc, app?.livenessProbe?.grpc],
      store: env.get('EVENTSTORE_URL')?.valueFrom?.secretKeyRef,
      nats: env.get('NATS_URL')?.value,
      lease: [env.get('RELAY_LEASE_ID')?.value, env.get('RELAY_LEASE_RETRY_MS')?.value],
      identity: env.has('IDENTITY_ADDRESS'),
      service: objects.some((o) => o.kind === 'Service' && o.metadata.name === 'relay'),
    }).toEqual({
      replicas: 2,
      ports: [
        ['grpc', 50060],
        ['metrics', 9464],
      ],
      probes: [{ port: 50060 }, { port: 50060 }, { port: 50060 }],
      store: { name: expect.stringMatching(/^eventstore-\w+$/), key: 'url' },
      nats: 'nats://nats:4222',
      lease: ['1', '250'],
      identity: false,
      service: false,
    });
  });

  it('relay checks catch one replica, no relay, a Service for it, a bad lease setting, and a service setting EVENTS_RELAY', () => {
    const one = brokenCopy(objects, 'relay');
    (one.workload.object.spec as { replicas?: number }).replicas = 1;
    const retry = one.app.env?.find((e) => e.name === 'RELAY_LEASE_RETRY_MS');
    if (retry === undefined) throw new Error('the relay sets no RELAY_LEASE_RETRY_MS');
    retry.value = '250ms';
    one.objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'relay' }, spec: {} });
    expect(relayProblems(one.objects, one.workloads.filter(isOurs))).toEqual([
      'relay: runs 1 replica(s); at least 2, so that a standby takes over',
      'relay: RELAY_LEASE_RETRY_MS is "250ms", not a whole number',
      'relay: has a Service, but nobody calls the relay',
    ]);
    const none = brokenCopy(objects, 'identity');
    expect(
      relayProblems(
        none.objects,
        none.workloads.filter((w) => isOurs(w) && w.name !== 'relay'),
      ),
    ).toEqual(['0 workloads named relay, not exactly one']);
    const old = brokenCopy(objects, 'job-intake');
    old.app.env?.push({ name: 'EVENTS_RELAY', value: 'off' });
    expect(serviceConventionProblems(old.workload)).toEqual([
      "job-intake: sets EVENTS_RELAY, which nothing reads (the relay Deployment publishes the store's log)",
    ]);
  });

  it('runs team scheduling as two replicas, on the PostgreSQL store and NATS that make replicas safe', () => {
    const ours = workloads.filter(isOurs);
    expect(teamSchedulingReplicaProblems(objects, ours)).toEqual([]);
    const scheduling = ours.find((w) => w.name === 'team-scheduling');
    expect((scheduling?.object.spec as { replicas?: number }).replicas).toBe(2);
    // The Service spreads connections over both pods; the gateway reaches it by its one name.
    const gateway = ours.find((w) => w.name === 'gateway')?.pod.containers[0];
    expect(gateway?.env?.find((e) => e.name === 'TEAM_SCHEDULING_ADDRESS')?.value).toBe('team-scheduling:50054');
  });

  it('team scheduling replica checks catch another store and no NATS, and let one replica be', () => {
    const copy = brokenCopy(objects, 'team-scheduling');
    const ref = copy.app.env?.find((e) => e.name === 'EVENTSTORE_URL')?.valueFrom?.secretKeyRef;
    const secret = copy.objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref?.name);
    if (ref?.name === undefined || secret === undefined) throw new Error('team scheduling reads no eventstore Secret');
    (secret.data as Record<string, string>)[ref.key] = Buffer.from('kurrentdb://kurrent:2113').toString('base64');
    copy.app.env = copy.app.env?.filter((e) => e.name !== 'NATS_URL');
    expect(teamSchedulingReplicaProblems(copy.objects, copy.workloads.filter(isOurs))).toEqual([
      "team-scheduling: runs 2 replicas on a kurrentdb store; its regions' leases are PostgreSQL advisory locks, so run one replica on any other store",
      'team-scheduling: runs 2 replicas without NATS_URL; each would handle every event, as the replicas share a durable consumer only on NATS',
    ]);
    (copy.workload.object.spec as { replicas?: number }).replicas = 1;
    expect(teamSchedulingReplicaProblems(copy.objects, copy.workloads.filter(isOurs))).toEqual([]);
  });

  it("every service address a pod reads is that service's Service and gRPC port; every service but identity and the relay knows identity", () => {
    const ours = workloads.filter(isOurs);
    expect(addressProblems(objects, ours)).toEqual([]);
    for (const name of [
      'job-intake',
      'task-decomposition',
      'team-scheduling',
      'time-tracking',
      'settlement',
      'audit',
      'gateway',
    ]) {
      expect({
        name,
        identity: ours.find((w) => w.name === name)?.pod.containers[0]?.env?.find((e) => e.name === 'IDENTITY_ADDRESS')
          ?.value,
      }).toEqual({ name, identity: 'identity:50051' });
    }
  });

  it('addresses catch a wrong port, a missing IDENTITY_ADDRESS, an unknown service and a Service without a grpc port', () => {
    const { objects: copy, workloads: copyWorkloads } = brokenCopy(objects, 'job-intake');
    const env = (name: string) => copyWorkloads.find((w) => w.name === name)?.pod.containers[0]?.env ?? [];
    const identityAddress = env('gateway').find((e) => e.name === 'IDENTITY_ADDRESS');
    if (identityAddress === undefined) throw new Error('the gateway reads no IDENTITY_ADDRESS');
    identityAddress.value = 'identity:50052';
    const jobIntake = copyWorkloads.find((w) => w.name === 'job-intake')?.pod.containers[0];
    if (jobIntake === undefined) throw new Error('no job-intake container');
    jobIntake.env = env('job-intake').filter((e) => e.name !== 'IDENTITY_ADDRESS');
    env('task-decomposition').push({ name: 'BILLING_ADDRESS', value: 'billing:50070' });
    const settlementAddress = env('gateway').find((e) => e.name === 'SETTLEMENT_ADDRESS');
    if (settlementAddress === undefined) throw new Error('the gateway reads no SETTLEMENT_ADDRESS');
    settlementAddress.value = 'settlement:50062';
    const taskService = copy.find((o) => o.kind === 'Service' && o.metadata.name === 'task-decomposition');
    (taskService?.spec as { ports: { targetPort: string }[] }).ports = [{ targetPort: 'metrics' }];
    expect(addressProblems(copy, copyWorkloads.filter(isOurs)).sort()).toEqual([
      'gateway: IDENTITY_ADDRESS is identity:50052, not identity:50051',
      'gateway: SETTLEMENT_ADDRESS is settlement:50062, not settlement:50063',
      'gateway: TASK_DECOMPOSITION_ADDRESS points at task-decomposition, whose Service has no port targeting grpc',
      "job-intake: no IDENTITY_ADDRESS (callers' tokens are verified by identity)",
      'task-decomposition: BILLING_ADDRESS names no gRPC service of the platform',
    ]);
  });

  it('job intake, task decomposition, team scheduling, time tracking, settlement and audit read the store URL from its Secret, NATS, and task decomposition its task length', () => {
    for (const name of [
      'job-intake',
      'task-decomposition',
      'team-scheduling',
      'time-tracking',
      'settlement',
      'audit',
    ]) {
      const env = new Map(
        (workloads.find((w) => w.name === name)?.pod.containers[0]?.env ?? []).map((e) => [e.name, e]),
      );
      expect({
        name,
        store: env.get('EVENTSTORE_URL')?.valueFrom?.secretKeyRef,
        nats: env.get('NATS_URL')?.value,
      }).toEqual({
        name,
        store: { name: expect.stringMatching(/^eventstore-\w+$/), key: 'url' },
        nats: 'nats://nats:4222',
      });
    }
    const task = workloads.find((w) => w.name === 'task-decomposition')?.pod.containers[0];
    expect(task?.env?.find((e) => e.name === 'TASK_MAX_MINUTES')?.value).toBe('120');
  });

  it('time tracking and settlement serve gRPC on 50062 and 50063 (their Services too), one replica each, and know identity', () => {
    for (const [name, port] of [
      ['time-tracking', 50062],
      ['settlement', 50063],
    ] as const) {
      const workload = workloads.find((w) => w.name === name);
      const app = workload?.pod.containers[0];
      const env = new Map((app?.env ?? []).map((e) => [e.name, e.value]));
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
      expect({
        name,
        replicas: (workload?.object.spec as { replicas?: number }).replicas,
        ports: app?.ports?.map((p) => [p.name, p.containerPort]),
        grpcPort: env.get('GRPC_PORT'),
        identity: env.get('IDENTITY_ADDRESS'),
        probe: app?.readinessProbe?.grpc?.port,
        service: (service?.spec as { ports: { name: string; port: number }[] }).ports.map((p) => [p.name, p.port]),
      }).toEqual({
        name,
        replicas: 1,
        ports: [
          ['grpc', port],
          ['metrics', 9464],
        ],
        grpcPort: String(port),
        identity: 'identity:50051',
        probe: port,
        service: [
          ['grpc', port],
          ['metrics', 9464],
        ],
      });
    }
  });

  it('audit serves gRPC on 50064 (its Service too), one replica, reads its seal key from the Secret seal-key and appends its seal log to a volume of its own', () => {
    const workload = workloads.find((w) => w.name === 'audit');
    const app = workload?.pod.containers[0];
    const env = new Map((app?.env ?? []).map((e) => [e.name, e]));
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'audit');
    const sealLog = env.get('WORKSHARE_SEAL_LOG')?.value ?? '';
    const mount = app?.volumeMounts?.find((m) => sealLog.startsWith(`${m.mountPath}/`));
    const volume = workload?.pod.volumes?.find((v) => v.name === mount?.name);
    const claim = objects.find(
      (o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === volume?.persistentVolumeClaim?.claimName,
    );
    expect({
      replicas: (workload?.object.spec as { replicas?: number }).replicas,
      ports: app?.ports?.map((p) => [p.name, p.containerPort]),
      grpcPort: env.get('GRPC_PORT')?.value,
      identity: env.get('IDENTITY_ADDRESS')?.value,
      nats: env.get('NATS_URL')?.value,
      sealKey: env.get('WORKSHARE_SEAL_KEY')?.valueFrom?.secretKeyRef,
      sealKeyInline: env.get('WORKSHARE_SEAL_KEY')?.value,
      sealLog,
      mounts: app?.volumeMounts?.map((m) => m.mountPath),
      claim: (claim?.spec as { accessModes?: string[] } | undefined)?.accessModes,
      probe: app?.readinessProbe?.grpc?.port,
      service: (service?.spec as { ports: { name: string; port: number }[] }).ports.map((p) => [p.name, p.port]),
    }).toEqual({
      replicas: 1,
      ports: [
        ['grpc', 50064],
        ['metrics', 9464],
      ],
      grpcPort: '50064',
      identity: 'identity:50051',
      nats: 'nats://nats:4222',
      sealKey: { name: expect.stringMatching(/^seal-key-\w+$/), key: 'seal-key.pem' },
      sealKeyInline: undefined,
      sealLog: '/var/lib/workshare/seals/seals.jsonl',
      mounts: ['/tmp', '/var/lib/workshare/seals'],
      claim: ['ReadWriteOnce'],
      probe: 50064,
      service: [
        ['grpc', 50064],
        ['metrics', 9464],
      ],
    });
    // The seal key is no file of the repository: the base holds no Secret, the dev overlay generates it.
    const base = kustomizeBuild(path.join(k8sDir, 'base'));
    expect(base.ok && parseManifests(base.text).some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('identity reads its keys and its store URL from Secrets, and knows NATS and the collector', () => {
    const identity = workloads.find((w) => w.name === 'identity');
    const env = new Map((identity?.pod.containers[0]?.env ?? []).map((e) => [e.name, e]));
    for (const name of ['IDENTITY_MASTER_KEY', 'IDENTITY_SIGNING_KEY', 'EVENTSTORE_URL'])
      expect(env.get(name)?.valueFrom?.secretKeyRef).toBeDefined();
    expect(env.get('NATS_URL')?.value).toBe('nats://nats:4222');
    expect(env.get('OTEL_EXPORTER_OTLP_ENDPOINT')?.value).toBe('http://otel-collector:4318');
  });

  it('every reference resolves: Secrets and keys, ConfigMaps, volumes, Service selectors and target ports', () => {
    expect(referenceProblems(objects, workloads, NAMESPACE)).toEqual([]);
  });

  it('references catch a missing secret key, a Service selecting nothing, a port nobody serves', () => {
    const { objects: copy, workloads: copyWorkloads, app } = brokenCopy(objects, 'identity');
    const keyRef = app.env?.find((e) => e.name === 'IDENTITY_SIGNING_KEY')?.valueFrom?.secretKeyRef;
    if (keyRef === undefined) throw new Error('identity reads no signing key');
    keyRef.key = 'signing-jwk';
    const nats = copy.find((o) => o.kind === 'Service' && o.metadata.name === 'nats');
    (nats?.spec as { selector: Record<string, string> }).selector = { 'app.kubernetes.io/name': 'natz' };
    const jaeger = copy.find((o) => o.kind === 'Service' && o.metadata.name === 'jaeger');
    (jaeger?.spec as { ports: { name: string; port: number; targetPort: string }[] }).ports.push({
      name: 'zipkin',
      port: 9411,
      targetPort: 'zipkin',
    });
    const problems = referenceProblems(copy, copyWorkloads, NAMESPACE).join('\n');
    expect(problems).toMatch(
      /identity: env IDENTITY_SIGNING_KEY reads key signing-jwk, which Secret identity-keys-\w+ lacks/,
    );
    expect(problems).toContain('Service/nats selects no pod');
    expect(problems).toContain('Service/jaeger port zipkin targets zipkin, which no selected container declares');
  });

  it('NATS runs JetStream on a PVC and is ready only when JetStream is', () => {
    const nats = workloads.find((w) => w.name === 'nats');
    const app = nats?.pod.containers[0];
    expect(app?.readinessProbe?.httpGet).toMatchObject({ path: '/healthz?js-enabled-only=true', port: 'monitor' });
    expect(app?.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ['client', 4222],
      ['monitor', 8222],
    ]);
    const claims =
      (nats?.object.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? [];
    expect(claims.map((c) => c.metadata.name)).toEqual(['data']);
    expect(app?.volumeMounts?.find((m) => m.name === 'data')?.mountPath).toBe('/data');
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'nats-config');
    const conf = (config?.data as Record<string, string> | undefined)?.['nats.conf'] ?? '';
    expect(conf).toMatch(/jetstream\s*\{[^}]*store_dir:\s*\/data/);
    expect(conf).toMatch(/http:\s*0\.0\.0\.0:8222/);
  });

  it('PostgreSQL keeps its data on a PVC, takes its password from a Secret, and is probed with pg_isready', () => {
    const postgres = workloads.find((w) => w.name === 'postgres');
    const app = postgres?.pod.containers[0];
    expect(app?.readinessProbe?.exec?.command?.[0]).toBe('pg_isready');
    expect(app?.env?.find((e) => e.name === 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef?.key).toBe('password');
    const claims =
      (postgres?.object.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? [];
    expect(claims.map((c) => c.metadata.name)).toEqual(['data']);
    const pgdata = app?.env?.find((e) => e.name === 'PGDATA')?.value ?? '';
    const dataMount = app?.volumeMounts?.find((m) => m.name === 'data')?.mountPath ?? '';
    expect(pgdata.startsWith(`${dataMount}/`)).toBe(true);
  });

  it('the collector receives OTLP and exports traces to Jaeger over OTLP', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'otel-collector-config');
    const collector: unknown = parseYaml(
      (config?.data as Record<string, string> | undefined)?.['collector.yaml'] ?? '',
    );
    expect(collector).toMatchObject({
      receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
      exporters: { 'otlp/jaeger': { endpoint: 'jaeger:4317' } },
      service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp/jaeger'] } } },
    });
    const jaegerService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'jaeger');
    expect((jaegerService?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual(
      expect.arrayContaining([16686, 4317]),
    );
    const collectorService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'otel-collector');
    expect((collectorService?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual(
      expect.arrayContaining([4318]),
    );
  });
});
