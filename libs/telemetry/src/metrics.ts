import {
  metrics,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';

/** Name of the meter (instrumentation scope) of every instrument made by these helpers. */
export const METER_NAME = 'workshare';

// The OpenTelemetry instrument name syntax; the Prometheus exporter turns '.', '-' and '/' into '_'.
const INSTRUMENT_NAME = /^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/;

function checkName(name: string): void {
  if (!INSTRUMENT_NAME.test(name))
    throw new TypeError(
      `not a metric name: ${JSON.stringify(name)} (a letter, then letters, digits, '_', '.', '-' or '/')`,
    );
}

/**
 * An instrument resolved on use, not on creation: the global meter provider exists only once
 * telemetry has started (the launcher may import services first), and a module-level
 * instrument made earlier would otherwise stay a no-op for the life of the process.
 */
class LazyInstrument<I> {
  private provider: MeterProvider | undefined;
  private instrument: I | undefined;

  constructor(private readonly create: (meter: Meter) => I) {}

  get(): I {
    const provider = metrics.getMeterProvider();
    if (this.instrument === undefined || provider !== this.provider) {
      this.provider = provider;
      this.instrument = this.create(provider.getMeter(METER_NAME));
    }
    return this.instrument;
  }
}

export interface MetricCounter {
  /** Adds a non-negative amount (default 1). */
  add(value?: number, attributes?: Attributes): void;
}

export interface MetricHistogram {
  record(value: number, attributes?: Attributes): void;
  /** Starts a stopwatch; calling the result records the elapsed seconds and returns them. */
  startTimer(attributes?: Attributes): (more?: Attributes) => number;
}

export interface InstrumentOptions {
  /** UCUM unit, e.g. `s`, `By`, `{event}`. */
  unit?: string;
}

/**
 * A monotonic counter on the OpenTelemetry metrics API. At `/metrics` it reads
 * `<name>_total` (Prometheus naming; '.' becomes '_').
 */
export function counter(name: string, help: string, options: InstrumentOptions = {}): MetricCounter {
  checkName(name);
  const lazy = new LazyInstrument<Counter>((meter) =>
    meter.createCounter(name, { description: help, unit: options.unit }),
  );
  return {
    add: (value = 1, attributes) => lazy.get().add(value, attributes),
  };
}

/** A histogram with explicit bucket boundaries (seconds for durations, by convention). */
export function histogram(
  name: string,
  help: string,
  buckets: readonly number[],
  options: InstrumentOptions = {},
): MetricHistogram {
  checkName(name);
  const boundaries = [...buckets];
  if (
    boundaries.length === 0 ||
    boundaries.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (boundaries[i - 1] as number)))
  ) {
    throw new TypeError(
      `histogram ${name}: buckets must be finite and strictly increasing, got ${JSON.stringify(buckets)}`,
    );
  }
  const lazy = new LazyInstrument<Histogram>((meter) =>
    meter.createHistogram(name, {
      description: help,
      unit: options.unit,
      advice: { explicitBucketBoundaries: boundaries },
    }),
  );
  const record = (value: number, attributes?: Attributes) => lazy.get().record(value, attributes);
  return {
    record,
    startTimer: (attributes) => {
      const started = process.hrtime.bigint();
      return (more) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        record(seconds, more === undefined ? attributes : { ...attributes, ...more });
        return seconds;
      };
    },
  };
}
