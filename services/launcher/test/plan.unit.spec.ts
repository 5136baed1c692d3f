import { planServices, SERVICES } from '../src/plan.js';

describe('planning the services', () => {
  it('gives each service its conventional port and a metrics port of its own', () => {
    const plans = planServices(SERVICES, {});
    expect(plans.find((p) => p.name === 'identity')).toMatchObject({ port: 50051, entry: 'services/identity/dist/src/main.js' });
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
