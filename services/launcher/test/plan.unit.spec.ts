import { planServices, processEnvironment, SERVICES } from '../src/plan.js';

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

  it('gives the HTTP edge PORT, not GRPC_PORT, and no address of its own', () => {
    const env = processEnvironment(byName('gateway'), plans);
    expect(env.PORT).toBe('8080');
    expect(env.GRPC_PORT).toBeUndefined();
    expect(env.GATEWAY_ADDRESS).toBeUndefined();
  });

  it('lets exactly one process relay the shared store to NATS: the first', () => {
    const relaying = plans.filter((plan) => processEnvironment(plan, plans).EVENTS_RELAY !== 'off');
    expect(relaying.map((p) => p.name)).toEqual(['identity']);
  });
});
