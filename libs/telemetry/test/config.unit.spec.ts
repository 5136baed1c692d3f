import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createSpanProcessors } from '../src/sdk.js';
import {
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  defaultMetricsPortOf,
  otlpTracesUrl,
  SERVICE_METRICS_PORTS,
  resolveTelemetryConfig,
  serviceNameFromEntry,
  TelemetryConfigError,
} from '../src/config.js';

const argvOf = (script: string): string[] => ['/usr/bin/node', script];

describe('service name', () => {
  it('is the folder after services/ in the entry script', () => {
    expect(serviceNameFromEntry('/app/services/identity/dist/src/main.js')).toBe('identity');
    expect(serviceNameFromEntry('C:\\work\\services\\job-intake\\dist\\src\\main.js')).toBe('job-intake');
  });

  it('is otherwise the nearest folder that is not a build layout folder', () => {
    expect(serviceNameFromEntry('/opt/launcher/dist/src/main.js')).toBe('launcher');
    expect(serviceNameFromEntry('/tmp/demo/app.js')).toBe('demo');
    expect(serviceNameFromEntry('/main.js')).toBeUndefined();
    expect(serviceNameFromEntry(undefined)).toBeUndefined();
  });

  it('comes from the option, then OTEL_SERVICE_NAME, then the entry script, then "workshare"', () => {
    const entry = argvOf('/app/services/identity/dist/src/main.js');
    expect(resolveTelemetryConfig({ serviceName: 'launcher' }, { OTEL_SERVICE_NAME: 'x' }, entry).serviceName).toBe(
      'launcher',
    );
    expect(resolveTelemetryConfig({}, { OTEL_SERVICE_NAME: 'settlement' }, entry).serviceName).toBe('settlement');
    expect(resolveTelemetryConfig({}, { OTEL_SERVICE_NAME: '  ' }, entry).serviceName).toBe('identity');
    expect(resolveTelemetryConfig({}, {}, ['/usr/bin/node']).serviceName).toBe('workshare');
  });
});

describe('metrics endpoint', () => {
  const entry = argvOf('/app/services/identity/dist/src/main.js');

  it('listens on the service’s own port on loopback by default, on METRICS_PORT when set, nowhere when METRICS_PORT=0', () => {
    expect(resolveTelemetryConfig({}, {}, entry).metrics).toEqual({ port: 9465, host: '127.0.0.1' });
    expect(resolveTelemetryConfig({}, { METRICS_PORT: '9500' }, entry).metrics).toEqual({
      port: 9500,
      host: '127.0.0.1',
    });
    expect(resolveTelemetryConfig({}, { METRICS_PORT: '0' }, entry).metrics).toBeUndefined();
  });

  it('gives each service a port of its own, and any other process 9464', () => {
    const ports = Object.entries(SERVICE_METRICS_PORTS);
    expect(ports).toEqual([
      ['identity', 9465],
      ['job-intake', 9466],
      ['task-decomposition', 9467],
      ['team-scheduling', 9468],
      ['gateway', 9469],
      ['relay', 9470],
      ['time-tracking', 9472],
      ['settlement', 9473],
      ['audit', 9474],
    ]);
    for (const [name, port] of ports) {
      expect(defaultMetricsPortOf(name)).toBe(port);
      expect(resolveTelemetryConfig({}, { OTEL_SERVICE_NAME: name }, []).metrics?.port).toBe(port);
    }
    expect(resolveTelemetryConfig({ serviceName: 'workshare' }, {}, []).metrics?.port).toBe(DEFAULT_METRICS_PORT);
    expect(defaultMetricsPortOf('toString')).toBe(DEFAULT_METRICS_PORT);
  });

  it('listens on every interface only when told: METRICS_HOST, or the option first', () => {
    expect(resolveTelemetryConfig({}, { METRICS_HOST: '0.0.0.0' }, entry).metrics).toEqual({
      port: 9465,
      host: '0.0.0.0',
    });
    expect(resolveTelemetryConfig({ metricsHost: '::1' }, { METRICS_HOST: '0.0.0.0' }, entry).metrics?.host).toBe(
      '::1',
    );
    expect(resolveTelemetryConfig({}, { METRICS_HOST: ' ' }, entry).metrics?.host).toBe(DEFAULT_METRICS_HOST);
  });

  it('takes the port from options first: false disables, 0 asks for any free port', () => {
    expect(resolveTelemetryConfig({ metricsPort: false }, { METRICS_PORT: '9500' }, entry).metrics).toBeUndefined();
    expect(
      resolveTelemetryConfig({ metricsPort: 0, metricsHost: '127.0.0.1' }, { METRICS_PORT: '9500' }, entry).metrics,
    ).toEqual({ port: 0, host: '127.0.0.1' });
  });

  it('refuses a METRICS_PORT that is not a port', () => {
    expect(() => resolveTelemetryConfig({}, { METRICS_PORT: 'abc' }, entry)).toThrow(TelemetryConfigError);
    expect(() => resolveTelemetryConfig({}, { METRICS_PORT: '70000' }, entry)).toThrow(/at most 65535/);
    expect(() => resolveTelemetryConfig({ metricsPort: -1 }, {}, entry)).toThrow(TelemetryConfigError);
  });
});

describe('OTLP trace export', () => {
  it('is configured only when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    expect(resolveTelemetryConfig({}, {}, []).traceExport).toBeUndefined();
    expect(resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: '' }, []).traceExport).toBeUndefined();
    // A traces-only endpoint without the general one does not switch export on.
    expect(
      resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, [])
        .traceExport,
    ).toBeUndefined();
    expect(
      resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' }, []).traceExport,
    ).toEqual({
      url: 'http://otel-collector:4318/v1/traces',
    });
  });

  it('appends /v1/traces to the base endpoint, or takes the traces endpoint as is', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces');
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example/otlp' })).toBe(
      'https://c.example/otlp/v1/traces',
    );
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/custom',
      }),
    ).toBe('http://t:4318/custom');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(TelemetryConfigError);
    expect(() => otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://c:4317' })).toThrow(/http/);
  });

  it('puts a batch processor (OTLP exporter) in the pipeline only when configured', async () => {
    const withExport = createSpanProcessors(
      resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, []),
    );
    const withoutExport = createSpanProcessors(resolveTelemetryConfig({}, {}, []));
    expect(withExport).toHaveLength(1);
    expect(withExport[0]).toBeInstanceOf(BatchSpanProcessor);
    expect(withoutExport).toHaveLength(1);
    expect(withoutExport[0]).toBeInstanceOf(NoopSpanProcessor);
    await Promise.all([...withExport, ...withoutExport].map((p) => p.shutdown()));
  });

  it('lets tests replace the exporter, whatever the environment says', async () => {
    const config = resolveTelemetryConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, []);
    const mine = new SimpleSpanProcessor(new InMemorySpanExporter());
    expect(createSpanProcessors(config, { spanProcessors: [mine] })).toEqual([mine]);
    const batched = createSpanProcessors(config, { traceExporter: new InMemorySpanExporter() });
    expect(batched).toHaveLength(1);
    expect(batched[0]).toBeInstanceOf(BatchSpanProcessor);
    await Promise.all([mine, ...batched].map((p) => p.shutdown()));
  });
});
