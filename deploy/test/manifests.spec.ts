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
  hardeningProblems,
  imageProblems,
  inlineSecretProblems,
  probeProblems,
  referenceProblems,
  resourceProblems,
  serviceConventionProblems,
} from './support/checks.js';
import { containersOf, describeObject, k8sDir, kustomizeBuild, parseManifests, renderDeploy, withKubectl, workloadsOf, type K8sObject, type Workload } from './support/k8s.js';
import { schemaProblems } from './support/models.js';

const NAMESPACE = 'workshare';

/** A workload of a deep copy of `objects`, to break on purpose. */
const brokenCopy = (objects: readonly K8sObject[], name: string): { objects: K8sObject[]; workloads: Workload[]; workload: Workload; app: IContainer } => {
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

  it('renders the whole platform: namespace, NATS, PostgreSQL, collector, Jaeger, identity', () => {
    expect(workloads.map((w) => `${w.kind}/${w.name}`).sort()).toEqual([
      'Deployment/identity',
      'Deployment/jaeger',
      'Deployment/otel-collector',
      'StatefulSet/nats',
      'StatefulSet/postgres',
    ]);
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);
    expect(services.sort()).toEqual(['identity', 'jaeger', 'nats', 'nats-headless', 'otel-collector', 'postgres', 'postgres-headless']);
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([NAMESPACE]);
    // Generated secrets carry a content hash in their names.
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual(['eventstore', 'identity-keys', 'postgres']);
  });

  it('cannot render without the secret files (they are never committed)', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'workshare-k8s-nosecrets-'));
    try {
      const ownSecrets = path.join(k8sDir, 'overlays', 'dev', 'secrets');
      cpSync(k8sDir, work, { recursive: true, filter: (src) => src !== ownSecrets && !src.startsWith(ownSecrets + path.sep) });
      const result = kustomizeBuild(work);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/secrets\/(postgres-password|eventstore-url|identity-)/);
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
    expect(schemaProblems({ ...workload.object, kind: 'Deploymint' })).toEqual(['no Kubernetes schema known for apiVersion apps/v1, kind Deploymint']);
  });

  it('third-party images are pinned to a version; ours are workshare/<service>', () => {
    const images = workloads.flatMap((w) => containersOf(w.pod).map(({ container }) => container.image ?? ''));
    const ours = images.filter((i) => i.startsWith('workshare/'));
    expect(ours).toEqual(['workshare/identity']);
    expect(images.flatMap((i) => imageProblems(i, ours))).toEqual([]);
    expect(images.sort()).toEqual(
      expect.arrayContaining(['nats:2.9-alpine', 'postgres:15-alpine', expect.stringMatching(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/), expect.stringMatching(/^jaegertracing\/all-in-one:\d+\.\d+\.\d+$/)]),
    );
  });

  it('every container has readiness and liveness probes, requests and limits', () => {
    const problems = workloads.flatMap((w) => w.pod.containers.flatMap((c) => [...probeProblems(c), ...resourceProblems(c)].map((p) => `${w.name}: ${p}`)));
    expect(problems).toEqual([]);
  });

  it('a container without probes or limits is caught', () => {
    const { app } = brokenCopy(objects, 'nats');
    delete app.readinessProbe;
    delete app.resources?.limits;
    expect([...probeProblems(app), ...resourceProblems(app)]).toEqual(['container nats has no readinessProbe', 'container nats has no cpu limit', 'container nats has no memory limit']);
  });

  it('every pod is hardened: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const problems = workloads.flatMap((w) => [...hardeningProblems(w.pod), ...inlineSecretProblems(w.pod)].map((p) => `${w.name}: ${p}`));
    expect(problems).toEqual([]);
  });

  it.each([
    ['writable root filesystem', (c: IContainer) => void (c.securityContext = { ...c.securityContext, readOnlyRootFilesystem: false }), 'has a writable root filesystem'],
    ['privilege escalation', (c: IContainer) => void (c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true }), 'allows privilege escalation'],
    ['capabilities kept', (c: IContainer) => void (c.securityContext = { ...c.securityContext, capabilities: { drop: [] } }), 'does not drop ALL capabilities'],
    ['capability added', (c: IContainer) => void (c.securityContext = { ...c.securityContext, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }), 'adds capabilities'],
    ['root user', (c: IContainer) => void (c.securityContext = { ...c.securityContext, runAsUser: 0 }), 'has no explicit non-root runAsUser'],
    ['inline key', (c: IContainer) => void c.env?.push({ name: 'IDENTITY_MASTER_KEY', value: 'c2VjcmV0' }), 'IDENTITY_MASTER_KEY must come from a Secret'],
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

  it('our services follow the pod conventions: uid 10001, gRPC probes, /tmp emptyDir, metrics, environment', () => {
    const ours = workloads.filter(isOurs);
    expect(ours.map((w) => w.name)).toEqual(['identity']);
    expect(ours.flatMap(serviceConventionProblems)).toEqual([]);
  });

  it('service conventions catch an HTTP probe, a wrong uid, a missing /tmp and a wrong metrics port', () => {
    const { workload, app } = brokenCopy(objects, 'identity');
    app.readinessProbe = { httpGet: { path: '/', port: 8080 } };
    app.securityContext = { ...app.securityContext, runAsUser: 1000 };
    app.volumeMounts = [];
    const annotations = workload.template.metadata?.annotations;
    if (annotations !== undefined) annotations['prometheus.io/port'] = '9090';
    expect(serviceConventionProblems(workload)).toEqual([
      'identity: runs as uid 10001 (the image\'s user)',
      'identity: readinessProbe is not a native gRPC probe',
      'identity: /tmp is not an emptyDir (the root filesystem is read-only)',
      'identity: prometheus.io/port is not the metrics port 9464',
    ]);
  });

  it('identity reads its keys and its store URL from Secrets, and knows NATS and the collector', () => {
    const identity = workloads.find((w) => w.name === 'identity');
    const env = new Map((identity?.pod.containers[0]?.env ?? []).map((e) => [e.name, e]));
    for (const name of ['IDENTITY_MASTER_KEY', 'IDENTITY_SIGNING_KEY', 'EVENTSTORE_URL']) expect(env.get(name)?.valueFrom?.secretKeyRef).toBeDefined();
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
    (jaeger?.spec as { ports: { name: string; port: number; targetPort: string }[] }).ports.push({ name: 'zipkin', port: 9411, targetPort: 'zipkin' });
    const problems = referenceProblems(copy, copyWorkloads, NAMESPACE).join('\n');
    expect(problems).toMatch(/identity: env IDENTITY_SIGNING_KEY reads key signing-jwk, which Secret identity-keys-\w+ lacks/);
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
    const claims = (nats?.object.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? [];
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
    const claims = (postgres?.object.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] }).volumeClaimTemplates ?? [];
    expect(claims.map((c) => c.metadata.name)).toEqual(['data']);
    const pgdata = app?.env?.find((e) => e.name === 'PGDATA')?.value ?? '';
    const dataMount = app?.volumeMounts?.find((m) => m.name === 'data')?.mountPath ?? '';
    expect(pgdata.startsWith(`${dataMount}/`)).toBe(true);
  });

  it('the collector receives OTLP and exports traces to Jaeger over OTLP', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'otel-collector-config');
    const collector: unknown = parseYaml((config?.data as Record<string, string> | undefined)?.['collector.yaml'] ?? '');
    expect(collector).toMatchObject({
      receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
      exporters: { 'otlp/jaeger': { endpoint: 'jaeger:4317' } },
      service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp/jaeger'] } } },
    });
    const jaegerService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'jaeger');
    expect((jaegerService?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual(expect.arrayContaining([16686, 4317]));
    const collectorService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'otel-collector');
    expect((collectorService?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual(expect.arrayContaining([4318]));
  });
});
