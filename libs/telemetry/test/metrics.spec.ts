import { counter, histogram, startTelemetry, type Telemetry } from '../src/index.js';

// Made before telemetry starts, as a service module's top level would be under the launcher.
const appended = counter('workshare_events_appended', 'Events appended to the store');

let telemetry: Telemetry;
const scrape = async (): Promise<string> => {
  const response = await fetch(telemetry.metrics?.url ?? 'http://127.0.0.1:1/');
  expect(response.status).toBe(200);
  return response.text();
};

beforeAll(async () => {
  telemetry = await startTelemetry({
    serviceName: 'metrics-test',
    metricsPort: 0,
    metricsHost: '127.0.0.1',
    spanProcessors: [],
    instrumentations: false,
  });
});
afterAll(() => telemetry.shutdown());

describe('Prometheus /metrics', () => {
  it('listens on the port it was given (here any free one) and says where', () => {
    expect(telemetry.metrics?.port).toBeGreaterThan(0);
    expect(telemetry.metrics?.url).toBe(`http://127.0.0.1:${telemetry.metrics?.port}/metrics`);
  });

  it('serves a counter as it is incremented, with its help text and labels', async () => {
    appended.add(1, { stream_category: 'member' });
    appended.add(2, { stream_category: 'member' });
    appended.add(undefined, { stream_category: 'task' });
    const text = await scrape();
    expect(text).toContain('# HELP workshare_events_appended_total Events appended to the store');
    expect(text).toContain('# TYPE workshare_events_appended_total counter');
    expect(text).toMatch(
      /^workshare_events_appended_total\{stream_category="member",otel_scope_name="workshare"\} 3$/m,
    );
    expect(text).toMatch(/^workshare_events_appended_total\{stream_category="task",otel_scope_name="workshare"\} 1$/m);
    expect(text).toMatch(/^target_info\{.*service_name="metrics-test"/m);

    appended.add(4, { stream_category: 'member' });
    expect(await scrape()).toMatch(
      /^workshare_events_appended_total\{stream_category="member",otel_scope_name="workshare"\} 7$/m,
    );
  });

  it('serves a histogram with the buckets it was given', async () => {
    const latency = histogram('workshare_append_duration', 'Append latency', [0.005, 0.05, 0.5], { unit: 's' });
    latency.record(0.01);
    latency.record(0.2);
    const stop = latency.startTimer({ adapter: 'embedded' });
    const seconds = stop();
    expect(seconds).toBeGreaterThanOrEqual(0);
    const text = await scrape();
    expect(text).toMatch(/^workshare_append_duration_bucket\{otel_scope_name="workshare",le="0.05"\} 1$/m);
    expect(text).toMatch(/^workshare_append_duration_bucket\{otel_scope_name="workshare",le="0.5"\} 2$/m);
    expect(text).toMatch(/^workshare_append_duration_bucket\{otel_scope_name="workshare",le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^workshare_append_duration_count\{adapter="embedded",otel_scope_name="workshare"\} 1$/m);
  });

  it('answers 404 anywhere but /metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${telemetry.metrics?.port}/`);
    expect(response.status).toBe(404);
  });

  it('refuses malformed names and buckets at creation', () => {
    expect(() => counter('9lives', 'x')).toThrow(/metric name/);
    expect(() => histogram('h', 'x', [1, 1])).toThrow(/increasing/);
    expect(() => histogram('h', 'x', [])).toThrow(/increasing/);
  });
});
