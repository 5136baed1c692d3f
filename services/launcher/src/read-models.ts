/**
 * `workshare read-models`: the durable read models of every service, from outside the services.
 *
 *   workshare read-models list                      each read model's checkpoint, generation, code version
 *   workshare read-models rebuild <service>[/<name>] rebuilds from zero, with a progress bar
 *   workshare read-models rebuild --all
 *
 * Over EVENTSTORE_URL and PROJECTIONS_URL, as the services read them. A rebuild empties the read
 * model's stored state (a new generation: running replicas notice at their next commit and load
 * the rebuilt state), folds its categories from the beginning, committing page by page, and is
 * idempotent; interrupted, it resumes from its last page at the next start of the service or of
 * the command. On the embedded store, stop the platform first: one folder is opened by one
 * process at a time (a second is refused, eventstore.embedded_in_use).
 */
import type { EventStore, OperatedReadModel, ProjectionStore, RebuildProgress } from '@workshare/eventsourcing';
import { describeCheckpoint } from '@workshare/eventsourcing';
import { DEFAULT_EVENTSTORE_URL, openEventStore, openServiceProjections } from '@workshare/eventstore';
import type { ServiceDefinition } from '@workshare/service-host';
import { DEFINITIONS } from './plan.js';

export interface ReadModelsCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (line: string) => void;
  /** Progress, redrawn in place on a terminal. */
  readonly progress: (line: string, done: boolean) => void;
}

const USAGE = `usage: workshare read-models list
       workshare read-models rebuild <service>[/<read model>] | --all`;

interface Target {
  readonly service: ServiceDefinition<unknown, unknown>;
  readonly names: readonly string[] | undefined;
}

const withReadModels = DEFINITIONS.filter((d) => d.durableReadModels !== undefined);

const targetsOf = (args: readonly string[]): Target[] | string => {
  if (args.length === 1 && args[0] === '--all') return withReadModels.map((service) => ({ service, names: undefined }));
  if (args.length !== 1) return USAGE;
  const [serviceName, name] = args[0]!.split('/');
  const service = withReadModels.find((d) => d.name === serviceName);
  if (service === undefined)
    return `no service ${JSON.stringify(serviceName)} keeps read models: ${withReadModels.map((d) => d.name).join(', ')}`;
  if (name !== undefined && !service.readModels.includes(name))
    return `${service.name} has no read model ${JSON.stringify(name)}: ${service.readModels.join(', ')}`;
  return [{ service, names: name === undefined ? undefined : [name] }];
};

const bar = (fraction: number): string => {
  const width = 30;
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
};

/** Runs the command; answers the exit code. */
export const runReadModelsCli = async (args: readonly string[], io: ReadModelsCliIo): Promise<number> => {
  const [command, ...rest] = args;
  if (command !== 'list' && command !== 'rebuild') {
    io.out(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const targets =
    command === 'list' ? withReadModels.map((service) => ({ service, names: undefined })) : targetsOf(rest);
  if (typeof targets === 'string') {
    io.out(targets);
    return 2;
  }
  const storeUrl = io.env.EVENTSTORE_URL?.trim() || DEFAULT_EVENTSTORE_URL;
  if (storeUrl === 'embedded:memory') {
    io.out('EVENTSTORE_URL=embedded:memory holds nothing to rebuild: it lives and dies with one process');
    return 2;
  }
  let store: EventStore;
  try {
    store = await openEventStore(storeUrl);
  } catch (error) {
    io.out(`cannot open the event store: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  let code = 0;
  try {
    for (const { service, names } of targets) {
      let projections: ProjectionStore;
      try {
        projections = await openServiceProjections(store, service.name, io.env.PROJECTIONS_URL);
      } catch (error) {
        io.out(`${service.name}: ${error instanceof Error ? error.message : String(error)}`);
        code = 1;
        continue;
      }
      try {
        const models: readonly OperatedReadModel[] = service.durableReadModels!(store, projections).filter(
          (m) => names === undefined || names.includes(m.definition.name),
        );
        if (command === 'list') {
          const stored = await projections.checkpoints();
          for (const model of models) {
            const { name, version } = model.definition;
            const checkpoint = stored.get(name);
            io.out(
              `${`${service.name}/${name}`.padEnd(28)} ${
                checkpoint === undefined
                  ? 'never run'
                  : `checkpoint ${describeCheckpoint(checkpoint.position)}  generation ${checkpoint.generation}  code v${checkpoint.codeVersion}${checkpoint.codeVersion !== version ? ` (this code: v${version}, rebuilt at next start)` : ''}${checkpoint.updatedAt ? `  updated ${checkpoint.updatedAt.toISOString()}` : ''}`
              }`,
            );
          }
          continue;
        }
        for (const model of models) {
          const label = `${service.name}/${model.definition.name}`;
          const started = Date.now();
          const last = await model.rebuild((p: RebuildProgress) =>
            io.progress(`${label.padEnd(28)} ${bar(p.fraction)}  ${p.events.toLocaleString('en')} events`, p.done),
          );
          await model.ensureFresh();
          const status = model.status();
          io.out(
            `${label}: rebuilt from ${last.events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(
              status.documents,
            )
              .map(([collection, n]) => `${n} ${collection}`)
              .join(', ')}; generation ${status.generation}, checkpoint ${describeCheckpoint(status.position)}`,
          );
        }
      } finally {
        await projections.close();
      }
    }
  } catch (error) {
    io.out(`failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  } finally {
    await store.close();
  }
  return code;
};
