import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanOptions,
  type SpanStatus,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type TimeInput,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

// What an OpenTelemetry SDK gives a process, in the few lines the tests need, written against
// @opentelemetry/api only (the package's one telemetry dependency): a W3C trace-context
// propagator, an AsyncLocalStorage context manager, and a tracer that records finished spans.

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C Trace Context, `traceparent` only (https://www.w3.org/TR/trace-context/). */
export class W3CTraceparentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(ctx);
    if (spanContext === undefined || !isSpanContextValid(spanContext)) return;
    setter.set(
      carrier,
      'traceparent',
      `00-${spanContext.traceId}-${spanContext.spanId}-0${(spanContext.traceFlags & TraceFlags.SAMPLED).toString(16)}`,
    );
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, 'traceparent');
    const value = Array.isArray(raw) ? raw[0] : raw;
    const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
    if (!match || match[1] === 'ff') return ctx;
    const spanContext: SpanContext = {
      traceId: match[2] as string,
      spanId: match[3] as string,
      traceFlags: parseInt(match[4] as string, 16),
      isRemote: true,
    };
    return isSpanContextValid(spanContext) ? trace.setSpanContext(ctx, spanContext) : ctx;
  }
  fields(): string[] {
    return ['traceparent'];
  }
}

export class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]): unknown =>
      this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

export interface FinishedSpan {
  name: string;
  kind: SpanKind | undefined;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  status: SpanStatus | undefined;
  exceptions: Exception[];
}

class RecordingSpan implements Span {
  private readonly attributes: Attributes;
  private status: SpanStatus | undefined;
  private readonly exceptions: Exception[] = [];
  private ended = false;
  constructor(
    private name: string,
    private readonly context: SpanContext,
    private readonly kind: SpanKind | undefined,
    private readonly parentSpanId: string | undefined,
    attributes: Attributes | undefined,
    private readonly finished: FinishedSpan[],
  ) {
    this.attributes = { ...attributes };
  }
  spanContext(): SpanContext {
    return this.context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(name: string): this {
    this.name = name;
    return this;
  }
  end(_endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    this.finished.push({
      name: this.name,
      kind: this.kind,
      traceId: this.context.traceId,
      spanId: this.context.spanId,
      parentSpanId: this.parentSpanId,
      attributes: this.attributes,
      status: this.status,
      exceptions: this.exceptions,
    });
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: Exception): void {
    this.exceptions.push(exception);
  }
}

class RecordingTracer implements Tracer {
  constructor(private readonly finished: FinishedSpan[]) {}
  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = options.root ? undefined : trace.getSpanContext(ctx);
    const validParent = parent !== undefined && isSpanContextValid(parent) ? parent : undefined;
    const spanContext: SpanContext = {
      traceId: validParent?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      traceFlags: TraceFlags.SAMPLED,
    };
    return new RecordingSpan(name, spanContext, options.kind, validParent?.spanId, options.attributes, this.finished);
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = (rest.length >= 2 ? rest[0] : {}) as SpanOptions;
    const parent = (rest.length >= 3 ? rest[1] : context.active()) as Context;
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

/** Registers the propagator, context manager and a recording tracer provider globally; `uninstall` undoes it. */
export const installRecordingTelemetry = (): { spans: FinishedSpan[]; uninstall: () => void } => {
  const spans: FinishedSpan[] = [];
  const tracer = new RecordingTracer(spans);
  const provider: TracerProvider = { getTracer: () => tracer };
  const contextManager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceparentPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    spans,
    uninstall: () => {
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
};
