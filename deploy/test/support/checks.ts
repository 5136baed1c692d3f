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
  if (repository.startsWith('workshare/')) return [`${image}: a workshare image that no docker_build in the Tiltfile builds`];
  if (atDigest >= 0) return /^sha256:[0-9a-f]{64}$/.test(image.slice(atDigest + 1)) ? [] : [`${image}: malformed digest`];
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
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * The hardened pod: every container non-root with an explicit non-zero uid, no privilege
 * escalation, every capability dropped, RuntimeDefault seccomp, a read-only root filesystem;
 * no host namespaces, only the volume types the "restricted" Pod Security Standard allows, and
 * no service-account token (nothing here talks to the Kubernetes API).
 */
export const hardeningProblems = (pod: IPodSpec): string[] => {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) problems.push('pod shares a host namespace');
  if (pod.automountServiceAccountToken !== false) problems.push('pod mounts a service-account token (set automountServiceAccountToken: false)');
  for (const volume of pod.volumes ?? []) {
    const types = Object.keys(volume).filter((key) => key !== 'name');
    for (const type of types) if (!RESTRICTED_VOLUME_TYPES.has(type)) problems.push(`volume ${volume.name} is of type ${type}, not allowed by the restricted profile`);
  }
  for (const { container: c } of containersOf(pod)) {
    const own = c.securityContext ?? {};
    const runAsNonRoot = own.runAsNonRoot ?? podContext.runAsNonRoot;
    const runAsUser = own.runAsUser ?? podContext.runAsUser;
    const seccomp = own.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (runAsNonRoot !== true) problems.push(`container ${c.name} is not runAsNonRoot`);
    if (runAsUser === undefined || runAsUser === 0) problems.push(`container ${c.name} has no explicit non-root runAsUser`);
    if (own.privileged === true) problems.push(`container ${c.name} is privileged`);
    if (own.allowPrivilegeEscalation !== false) problems.push(`container ${c.name} allows privilege escalation`);
    if (own.readOnlyRootFilesystem !== true) problems.push(`container ${c.name} has a writable root filesystem`);
    if (!(own.capabilities?.drop ?? []).includes('ALL')) problems.push(`container ${c.name} does not drop ALL capabilities`);
    if ((own.capabilities?.add ?? []).length > 0) problems.push(`container ${c.name} adds capabilities`);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`container ${c.name} has no RuntimeDefault seccomp profile`);
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

const envValue = (c: IContainer, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;
const envFromSecret = (c: IContainer, name: string): boolean => c.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef !== undefined;

/**
 * The conventions of a workshare service pod (built by the Tiltfile): uid 10001, a gRPC port
 * probed natively (startup, readiness, liveness), /tmp on an emptyDir (the root filesystem
 * is read-only), Prometheus annotations that point at the metrics port, and the runtime
 * environment every service reads.
 */
export const serviceConventionProblems = (workload: Workload): string[] => {
  const problems: string[] = [];
  const { pod } = workload;
  const app = pod.containers[0];
  if (pod.containers.length !== 1 || app === undefined) return [`${workload.name}: a service pod runs exactly one container`];
  const podContext = pod.securityContext ?? {};
  if ((app.securityContext?.runAsUser ?? podContext.runAsUser) !== SERVICE_UID) problems.push(`${workload.name}: runs as uid ${SERVICE_UID} (the image's user)`);
  if ((app.securityContext?.runAsGroup ?? podContext.runAsGroup) !== SERVICE_UID) problems.push(`${workload.name}: runs as gid ${SERVICE_UID}`);

  const ports = containerPorts(pod);
  const grpc = ports.find((p) => p.name === 'grpc');
  const metrics = ports.find((p) => p.name === 'metrics');
  if (grpc === undefined) problems.push(`${workload.name}: no container port named grpc`);
  if (metrics === undefined) problems.push(`${workload.name}: no container port named metrics`);

  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const probe = app[kind];
    if (probe?.grpc === undefined) problems.push(`${workload.name}: ${kind} is not a native gRPC probe`);
    else if (grpc !== undefined && probe.grpc.port !== grpc.port) problems.push(`${workload.name}: ${kind} probes port ${probe.grpc.port}, not the gRPC port ${grpc.port}`);
  }

  const tmp = app.volumeMounts?.find((m) => m.mountPath === '/tmp');
  const tmpVolume = pod.volumes?.find((v) => v.name === tmp?.name);
  if (tmpVolume?.emptyDir === undefined) problems.push(`${workload.name}: /tmp is not an emptyDir (the root filesystem is read-only)`);

  const annotations = workload.template.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true') problems.push(`${workload.name}: pod lacks prometheus.io/scrape: "true"`);
  if (metrics !== undefined && annotations['prometheus.io/port'] !== String(metrics.port)) problems.push(`${workload.name}: prometheus.io/port is not the metrics port ${metrics.port}`);
  if (annotations['prometheus.io/path'] !== '/metrics') problems.push(`${workload.name}: prometheus.io/path is not /metrics`);

  if (grpc !== undefined && envValue(app, 'GRPC_PORT') !== String(grpc.port)) problems.push(`${workload.name}: GRPC_PORT is not ${grpc.port}`);
  if (metrics !== undefined && envValue(app, 'METRICS_PORT') !== String(metrics.port)) problems.push(`${workload.name}: METRICS_PORT is not ${metrics.port}`);
  if (!envFromSecret(app, 'EVENTSTORE_URL')) problems.push(`${workload.name}: EVENTSTORE_URL does not come from a Secret`);
  if (!/^nats:\/\//.test(envValue(app, 'NATS_URL') ?? '')) problems.push(`${workload.name}: NATS_URL is not a nats:// URL`);
  if (!/^https?:\/\//.test(envValue(app, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? '')) problems.push(`${workload.name}: OTEL_EXPORTER_OTLP_ENDPOINT is not an http(s) URL`);
  if (envValue(app, 'OTEL_SERVICE_NAME') !== workload.name) problems.push(`${workload.name}: OTEL_SERVICE_NAME is not ${workload.name}`);
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
export const referenceProblems = (objects: readonly K8sObject[], workloads: readonly Workload[], namespace: string): string[] => {
  const problems: string[] = [];
  const find = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);

  for (const o of objects) {
    if (o.kind === 'Namespace') continue;
    if (o.metadata.namespace !== namespace) problems.push(`${describeObject(o)} is not in namespace ${namespace}`);
  }
  for (const w of workloads) {
    const refer = (kind: 'Secret' | 'ConfigMap', name: string, key: string | undefined, where: string): void => {
      const target = find(kind, name);
      if (target === undefined) problems.push(`${w.kind}/${w.name}: ${where} refers to ${kind} ${name}, which is not rendered`);
      else if (key !== undefined && !keysOf(target).has(key)) problems.push(`${w.kind}/${w.name}: ${where} reads key ${key}, which ${kind} ${name} lacks`);
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
      const declared = new Set([...(w.pod.volumes ?? []).map((v) => v.name), ...((w.object.spec as { volumeClaimTemplates?: { metadata?: { name?: string } }[] }).volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '')]);
      for (const name of mounted) if (!declared.has(name)) problems.push(`${w.kind}/${w.name}: container ${c.name} mounts volume ${name}, which is not declared`);
    }
    for (const v of w.pod.volumes ?? []) {
      if (v.configMap !== undefined) refer('ConfigMap', v.configMap.name ?? '', undefined, `volume ${v.name}`);
      if (v.secret !== undefined) refer('Secret', v.secret.secretName ?? '', undefined, `volume ${v.name}`);
    }
  }

  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const spec = service.spec as { selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: string | number }[] };
    const selector = Object.entries(spec.selector ?? {});
    const selected = workloads.filter((w) => selector.length > 0 && selector.every(([k, v]) => w.template.metadata?.labels?.[k] === v));
    if (selected.length === 0) {
      problems.push(`Service/${service.metadata.name} selects no pod`);
      continue;
    }
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = selected.some((w) => containerPorts(w.pod).some((p) => (typeof target === 'number' ? p.port === target : p.name === target)));
      if (!served) problems.push(`Service/${service.metadata.name} port ${port.name ?? port.port} targets ${target}, which no selected container declares`);
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
 * service waits for PostgreSQL and NATS.
 */
export const tiltProblems = (tilt: TiltCalls, workloads: readonly Workload[]): string[] => {
  const problems: string[] = [];
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const resourceNames = new Set([...tilt.k8s_resource.map((r) => r.new_name || r.workload), ...tilt.local_resource.map((r) => r.name)]);
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
        problems.push(`k8s_resource('${r.workload}'): port forward to ${forward.container} matches no container port (${ports.join(', ')})`);
      }
      if (forward.local !== undefined) {
        const owner = localPorts.get(forward.local);
        if (owner !== undefined) problems.push(`local port ${forward.local} is forwarded by both ${owner} and ${r.workload}`);
        localPorts.set(forward.local, r.workload);
      }
    }
    for (const dep of r.resource_deps) if (!resourceNames.has(dep)) problems.push(`k8s_resource('${r.workload}') depends on unknown resource ${dep}`);
    if (r.labels.length === 0) problems.push(`k8s_resource('${r.workload}') has no label`);
    for (const label of r.labels) if (!TILT_LABELS.has(label)) problems.push(`k8s_resource('${r.workload}') has label ${label}, not one of ${[...TILT_LABELS].join(', ')}`);
  }
  for (const r of tilt.local_resource) for (const dep of r.resource_deps) if (!resourceNames.has(dep)) problems.push(`local_resource('${r.name}') depends on unknown resource ${dep}`);

  for (const w of workloads) if (!tilt.k8s_resource.some((r) => r.workload === w.name)) problems.push(`${w.kind}/${w.name} has no k8s_resource in the Tiltfile`);

  const built = tilt.docker_build.map((b) => b.ref);
  for (const ref of built) {
    const users = workloads.filter((w) => containersOf(w.pod).some(({ container }) => container.image === ref));
    if (users.length === 0) {
      problems.push(`docker_build('${ref}') builds an image no workload uses`);
      continue;
    }
    for (const w of users) {
      const r = tilt.k8s_resource.find((resource) => resource.workload === w.name);
      for (const needed of ['postgres', 'nats']) {
        if (r !== undefined && !r.resource_deps.includes(needed)) problems.push(`k8s_resource('${w.name}') does not wait for ${needed}`);
      }
    }
  }
  return problems;
};
