export {
  startTelemetry,
  shutdownTelemetry,
  flushTelemetry,
  activeTelemetry,
  createSpanProcessors,
  type Telemetry,
  type TelemetryOptions,
} from './sdk.js';
export {
  resolveTelemetryConfig,
  serviceNameFromEntry,
  otlpTracesUrl,
  TelemetryConfigError,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  SERVICE_METRICS_PORTS,
  defaultMetricsPortOf,
  type TelemetryConfig,
  type TelemetryConfigOptions,
} from './config.js';
export {
  withSpan,
  recordError,
  injectTraceparent,
  extractContext,
  withExtractedContext,
  currentTraceIds,
  TRACER_NAME,
} from './tracing.js';
export {
  counter,
  histogram,
  METER_NAME,
  type MetricCounter,
  type MetricHistogram,
  type InstrumentOptions,
} from './metrics.js';
export {
  createLogger,
  serializeError,
  logLevelFrom,
  PERSONAL_DATA_KEYS,
  REDACTED_PATHS,
  REDACTED,
  type Logger,
  type LoggerOptions,
} from './logger.js';
export { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
export { startTestTelemetry, type TestTelemetry } from './testing.js';
