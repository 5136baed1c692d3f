import { readGatewayConfig } from '@workshare/gateway';
import { defaultMetricsPortOf } from '@workshare/telemetry';
import {
  addressOf,
  DEFINITIONS,
  planRelays,
  planReplicas,
  planServices,
  processEnvironment,
  processName,
  RELAY_REPLICAS,
  SERVICES,
  TEAM_SCHEDULING,
  teamSchedulingReplicas,
} from '../src/plan.js';

describe('planning the services', () => {
  it('gives each service its conventional port and a metrics port of its own', () => {
    const plans = planServices(SERVICES, {});
    expect(plans.find((p) => p.name === 'identity')).toMatchObject({
      port: 50051,
      entry: 'services/identity/dist/src/main.js',
    });
    expect(new Set(plans.map((p) => p.metricsPort)).size).toBe(plans.length);
    expect(plans.every((p) => p.metricsPort !== 9464)).toBe(true);
  });

  it('gives each service its own metrics port (the default its process takes alone), or <SERVICE>_METRICS_PORT', () => {
    const plans = planServices(SERVICES, {});
    expect(Object.fromEntries(plans.map((p) => [p.name, p.metricsPort]))).toEqual({
      identity: 9465,
      'job-intake': 9466,
      'task-decomposition': 9467,
      'team-scheduling': 9468,
      'time-tracking': 9472,
      settlement: 9473,
      audit: 9474,
      gateway: 9469,
    });
    for (const plan of plans) expect(plan.metricsPort).toBe(defaultMetricsPortOf(plan.name));
    expect(
      planServices(SERVICES, { JOB_INTAKE_METRICS_PORT: '9999' }).find((p) => p.name === 'job-intake'),
    ).toMatchObject({
      metricsPort: 9999,
    });
    expect(() => planServices(SERVICES, { GATEWAY_METRICS_PORT: '0' })).toThrow(/GATEWAY_METRICS_PORT/);
    expect(() => planRelays(planServices(SERVICES, { GATEWAY_METRICS_PORT: '9471' }), {})).toThrow(
      /take gateway's \(9471\)/,
    );
  });

  it('plans every service in start order on its own port: identity first, time tracking and settlement after team scheduling, the audit after them, the gateway last', () => {
    expect(DEFINITIONS.map((d) => d.name)).toEqual([
      'identity',
      'job-intake',
      'task-decomposition',
      'team-scheduling',
      'time-tracking',
      'settlement',
      'audit',
      'gateway',
    ]);
    const plans = planServices(SERVICES, {});
    expect(plans.map((p) => [p.name, p.port, p.protocol, p.entry])).toEqual([
      ['identity', 50051, 'grpc', 'services/identity/dist/src/main.js'],
      ['job-intake', 50052, 'grpc', 'services/job-intake/dist/src/main.js'],
      ['task-decomposition', 50053, 'grpc', 'services/task-decomposition/dist/src/main.js'],
      ['team-scheduling', 50054, 'grpc', 'services/team-scheduling/dist/src/main.js'],
      ['time-tracking', 50062, 'grpc', 'services/time-tracking/dist/src/main.js'],
      ['settlement', 50063, 'grpc', 'services/settlement/dist/src/main.js'],
      ['audit', 50064, 'grpc', 'services/audit/dist/src/main.js'],
      ['gateway', 8080, 'http', 'services/gateway/dist/src/main.js'],
    ]);
    expect(new Set(plans.map((p) => p.port)).size).toBe(plans.length);
    expect(
      planServices(SERVICES, { TIME_TRACKING_PORT: '0', SETTLEMENT_PORT: '7063', SETTLEMENT_METRICS_PORT: '9999' })
        .filter((p) => p.name === 'time-tracking' || p.name === 'settlement')
        .map((p) => [p.name, p.port, p.metricsPort]),
    ).toEqual([
      ['time-tracking', 0, 9472],
      ['settlement', 7063, 9999],
    ]);
  });

  it('the durable read models of every service are the read-models command’s: time tracking’s and settlement’s among them', () => {
    expect(
      Object.fromEntries(DEFINITIONS.filter((d) => d.durableReadModels).map((d) => [d.name, d.readModels])),
    ).toMatchObject({
      'time-tracking': ['task-holdings', 'member-regions', 'timesheets'],
      settlement: ['jobs', 'timesheets', 'members', 'closes'],
    });
  });

  it('takes <SERVICE>_PORT overrides, 0 meaning any free port', () => {
    expect(planServices([{ name: 'job-intake', port: 50052, entry: 'x' }], { JOB_INTAKE_PORT: '0' })[0]?.port).toBe(0);
  });

  it.each(['-1', '70000', 'abc', '1.5'])('refuses IDENTITY_PORT=%s, naming the variable', (value) => {
    expect(() => planServices(SERVICES, { IDENTITY_PORT: value })).toThrow(/IDENTITY_PORT/);
  });
});

describe('the environment of a service run as its own process', () => {
  const plans = planServices(SERVICES, {});
  const byName = (name: string) => plans.find((p) => p.name === name)!;

  it('tells every service where the gRPC services listen, and its own ports', () => {
    const env = processEnvironment(byName('job-intake'), plans);
    expect(env).toMatchObject({
      GRPC_PORT: '50052',
      IDENTITY_ADDRESS: '127.0.0.1:50051',
      JOB_INTAKE_ADDRESS: '127.0.0.1:50052',
      TASK_DECOMPOSITION_ADDRESS: '127.0.0.1:50053',
      OTEL_SERVICE_NAME: 'job-intake',
    });
    expect(env.METRICS_PORT).toBe(String(byName('job-intake').metricsPort));
  });

  it('runs time tracking and settlement on their ports, knowing identity; the gateway knows where both listen', () => {
    expect(processEnvironment(byName('time-tracking'), plans)).toMatchObject({
      GRPC_PORT: '50062',
      METRICS_PORT: '9472',
      OTEL_SERVICE_NAME: 'time-tracking',
      IDENTITY_ADDRESS: '127.0.0.1:50051',
    });
    expect(processEnvironment(byName('settlement'), plans)).toMatchObject({
      GRPC_PORT: '50063',
      METRICS_PORT: '9473',
      OTEL_SERVICE_NAME: 'settlement',
      IDENTITY_ADDRESS: '127.0.0.1:50051',
    });
    expect(processEnvironment(byName('gateway'), plans)).toMatchObject({
      TIME_TRACKING_ADDRESS: '127.0.0.1:50062',
      SETTLEMENT_ADDRESS: '127.0.0.1:50063',
    });
  });

  it('runs the audit on 50064 (metrics 9474), knowing identity; the gateway knows where it listens', () => {
    expect(processEnvironment(byName('audit'), plans)).toMatchObject({
      GRPC_PORT: '50064',
      METRICS_PORT: '9474',
      OTEL_SERVICE_NAME: 'audit',
      IDENTITY_ADDRESS: '127.0.0.1:50051',
    });
    expect(processEnvironment(byName('gateway'), plans)).toMatchObject({ AUDIT_ADDRESS: '127.0.0.1:50064' });
    expect(DEFINITIONS.find((d) => d.name === 'audit')?.durableReadModels).toBeDefined();
  });

  it('gives the HTTP edge PORT, not GRPC_PORT, and no address of its own', () => {
    const env = processEnvironment(byName('gateway'), plans);
    expect(env.PORT).toBe('8080');
    expect(env.GRPC_PORT).toBeUndefined();
    expect(env.GATEWAY_ADDRESS).toBeUndefined();
  });

  it('tells no service to relay the store’s log: the relay processes do', () => {
    expect(plans.map((plan) => processEnvironment(plan, plans)).filter((env) => 'EVENTS_RELAY' in env)).toEqual([]);
    expect(SERVICES.map((s) => s.name)).not.toContain('relay');
  });
});

describe('the relay processes of the process mode', () => {
  const services = planServices(SERVICES, {});

  it('plans two replicas of the relay after the services: gRPC health on 50060 and 50061, metrics ports of their own', () => {
    const relays = planRelays(services, {});
    expect(RELAY_REPLICAS).toBe(2);
    expect(relays.map((r) => [processName(r), r.port, r.protocol, r.entry])).toEqual([
      ['relay-1', 50060, 'worker', 'services/relay/dist/src/main.js'],
      ['relay-2', 50061, 'worker', 'services/relay/dist/src/main.js'],
    ]);
    const metrics = [...services, ...relays].map((p) => p.metricsPort);
    expect(new Set(metrics).size).toBe(metrics.length);
    expect(services.map(processName)).toEqual(services.map((s) => s.name));
  });

  it('gives each its GRPC_PORT (health), OTEL_SERVICE_NAME relay and its metrics port; no address of its own for others', () => {
    const all = [...services, ...planRelays(services, {})];
    const relays = all.filter((p) => p.name === 'relay');
    expect(relays.map((r) => processEnvironment(r, all))).toEqual([
      expect.objectContaining({
        GRPC_PORT: '50060',
        OTEL_SERVICE_NAME: 'relay',
        METRICS_PORT: String(relays[0]!.metricsPort),
      }),
      expect.objectContaining({
        GRPC_PORT: '50061',
        OTEL_SERVICE_NAME: 'relay',
        METRICS_PORT: String(relays[1]!.metricsPort),
      }),
    ]);
    expect(processEnvironment(all[0]!, all).RELAY_ADDRESS).toBeUndefined();
  });

  it('takes RELAY_PORT, 0 meaning any free port for each (nobody calls the relay), and refuses a bad one', () => {
    expect(planRelays(services, { RELAY_PORT: '7000' }).map((r) => r.port)).toEqual([7000, 7001]);
    expect(planRelays(services, { RELAY_PORT: '0' }).map((r) => r.port)).toEqual([0, 0]);
    expect(() => planRelays(services, { RELAY_PORT: 'x' })).toThrow(/RELAY_PORT/);
    expect(() => planRelays(services, { RELAY_PORT: '65535' })).toThrow(/RELAY_PORT=65535 leaves no port/);
  });

  it('refuses relay ports a service takes (time tracking 50062, settlement 50063 and the audit 50064 come right after them), naming the variable', () => {
    expect(() => planRelays(services, { RELAY_PORT: '50062' })).toThrow(
      "RELAY_PORT=50062 gives the relay's 2 processes ports 50062-50063, and 50062 is time-tracking's: set RELAY_PORT",
    );
    expect(() => planRelays(services, { RELAY_PORT: '50054' })).toThrow(
      /ports 50054-50055, and 50054 is team-scheduling's/,
    );
    expect(() => planRelays(planServices(SERVICES, { SETTLEMENT_PORT: '50061' }), {})).toThrow(
      /ports 50060-50061, and 50061 is settlement's/,
    );
    expect(() => planRelays(services, { RELAY_PORT: '50063' })).toThrow(/ports 50063-50064, and 50063 is settlement's/);
    expect(() => planRelays(services, { RELAY_PORT: '50064' })).toThrow(/ports 50064-50065, and 50064 is audit's/);
    expect(planRelays(services, { RELAY_PORT: '50065' }).map((r) => r.port)).toEqual([50065, 50066]);
  });
});

describe('team scheduling in replicas', () => {
  it('runs two processes in the process mode with NATS by default, one otherwise; TEAM_SCHEDULING_REPLICAS sets it', () => {
    expect(teamSchedulingReplicas({}, 'processes', true)).toBe(2);
    expect(teamSchedulingReplicas({}, 'processes', false)).toBe(1);
    expect(teamSchedulingReplicas({}, 'one-process', false)).toBe(1);
    expect(teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: '3' }, 'processes', true)).toBe(3);
    expect(teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: '1' }, 'processes', true)).toBe(1);
    expect(teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: '1' }, 'one-process', false)).toBe(1);
  });

  it.each(['0', '9', 'two', '1.5', '-1'])('refuses TEAM_SCHEDULING_REPLICAS=%s, naming the variable', (value) => {
    expect(() => teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: value }, 'processes', true)).toThrow(
      `TEAM_SCHEDULING_REPLICAS=${value} is not a number of processes (1-8)`,
    );
  });

  it('refuses more than one in the one-process mode and without NATS, saying why', () => {
    expect(() => teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: '2' }, 'one-process', false)).toThrow(
      /TEAM_SCHEDULING_REPLICAS=2: the one-process mode runs one of each service \(only one process can open the embedded store\)/,
    );
    expect(() => teamSchedulingReplicas({ TEAM_SCHEDULING_REPLICAS: '2' }, 'processes', false)).toThrow(
      /TEAM_SCHEDULING_REPLICAS=2 needs NATS_URL: .* every replica would handle every event/,
    );
  });

  const services = planServices(SERVICES, {});
  const all = planReplicas([...services, ...planRelays(services, {})], TEAM_SCHEDULING, 2);

  it('gives each replica its own gRPC port (the next one) and its own metrics port, in the start order', () => {
    expect(all.map((p) => [processName(p), p.port, p.metricsPort])).toEqual([
      ['identity', 50051, 9465],
      ['job-intake', 50052, 9466],
      ['task-decomposition', 50053, 9467],
      ['team-scheduling-1', 50054, 9468],
      ['team-scheduling-2', 50055, 9475],
      ['time-tracking', 50062, 9472],
      ['settlement', 50063, 9473],
      ['audit', 50064, 9474],
      ['gateway', 8080, 9469],
      ['relay-1', 50060, 9470],
      ['relay-2', 50061, 9471],
    ]);
    const metrics = all.map((p) => p.metricsPort);
    expect(new Set(metrics).size).toBe(metrics.length);
    const ports = all.map((p) => p.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(all.filter((p) => p.name === TEAM_SCHEDULING).map((p) => p.entry)).toEqual([
      'services/team-scheduling/dist/src/main.js',
      'services/team-scheduling/dist/src/main.js',
    ]);
  });

  it('takes TEAM_SCHEDULING_PORT and TEAM_SCHEDULING_METRICS_PORT for the first; leaves the plans as they are for one', () => {
    const moved = planServices(SERVICES, { TEAM_SCHEDULING_PORT: '7000', TEAM_SCHEDULING_METRICS_PORT: '9600' });
    expect(
      planReplicas(moved, TEAM_SCHEDULING, 3)
        .filter((p) => p.name === TEAM_SCHEDULING)
        .map((p) => [p.port, p.metricsPort]),
    ).toEqual([
      [7000, 9600],
      [7001, 9601],
      [7002, 9602],
    ]);
    expect(planReplicas(services, TEAM_SCHEDULING, 1)).toEqual(services);
    expect(planReplicas(services, TEAM_SCHEDULING, 1).map(processName)).toContain('team-scheduling');
  });

  it('refuses a replica’s port that another process takes, or one past 65535, naming the variable', () => {
    const crowded = planServices(SERVICES, { TEAM_SCHEDULING_PORT: '50052' });
    expect(() => planReplicas(crowded, TEAM_SCHEDULING, 2)).toThrow(
      "TEAM_SCHEDULING_PORT=50052 gives team-scheduling's 2 processes ports 50052-50053, and 50053 is task-decomposition's: set TEAM_SCHEDULING_PORT",
    );
    const withRelays = [...services, ...planRelays(services, {})];
    expect(() => planReplicas(withRelays, TEAM_SCHEDULING, 8)).toThrow(/and 50060 is relay-1's/);
    expect(() => planReplicas(withRelays, TEAM_SCHEDULING, 7)).toThrow(/ports 50054-50060, and 50060 is relay-1's/);
    // Six fit below the relay's ports: 50054 to 50059, their metrics above every other (9475 on).
    expect(
      planReplicas(withRelays, TEAM_SCHEDULING, 6)
        .filter((p) => p.name === TEAM_SCHEDULING)
        .map((p) => [p.port, p.metricsPort]),
    ).toEqual([
      [50054, 9468],
      [50055, 9475],
      [50056, 9476],
      [50057, 9477],
      [50058, 9478],
      [50059, 9479],
    ]);
    const below = planServices(SERVICES, { TEAM_SCHEDULING_PORT: '50061' });
    expect(() => planReplicas(below, TEAM_SCHEDULING, 2)).toThrow(
      "TEAM_SCHEDULING_PORT=50061 gives team-scheduling's 2 processes ports 50061-50062, and 50062 is time-tracking's: set TEAM_SCHEDULING_PORT",
    );
    const last = planServices(SERVICES, { TEAM_SCHEDULING_PORT: '65535' });
    expect(() => planReplicas(last, TEAM_SCHEDULING, 2)).toThrow(
      'TEAM_SCHEDULING_PORT=65535 leaves no port for 2 team-scheduling processes',
    );
  });

  it('tells every process where each replica listens, as one list its callers balance round-robin', () => {
    const gateway = all.find((p) => p.name === 'gateway')!;
    const env = processEnvironment(gateway, all);
    expect(env).toMatchObject({
      IDENTITY_ADDRESS: '127.0.0.1:50051',
      TEAM_SCHEDULING_ADDRESS: '127.0.0.1:50054,127.0.0.1:50055',
    });
    expect(addressOf(all, TEAM_SCHEDULING)).toBe('127.0.0.1:50054,127.0.0.1:50055');
    // The gateway's own configuration takes the list as it is given.
    expect(readGatewayConfig(env).teamSchedulingAddress).toBe('127.0.0.1:50054,127.0.0.1:50055');
    const replicas = all.filter((p) => p.name === TEAM_SCHEDULING).map((p) => processEnvironment(p, all));
    expect(replicas.map((e) => [e.GRPC_PORT, e.METRICS_PORT, e.OTEL_SERVICE_NAME])).toEqual([
      ['50054', '9468', 'team-scheduling'],
      ['50055', '9475', 'team-scheduling'],
    ]);
  });
});
