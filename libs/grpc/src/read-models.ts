import { DomainError, formatPosition, type OperatedReadModel, type ReadModelStatus } from '@workshare/eventsourcing';
import { opsV1 } from '@workshare/proto';
import { defineService, type AuthenticatedCallContext, type ServiceRegistration } from './service.js';

/**
 * workshare.ops.v1.ReadModelsService over a service's durable read models: what each holds and
 * how far it is, and a rebuild from zero on demand. Operators only (FORBIDDEN otherwise).
 */
const operatorOnly = (ctx: AuthenticatedCallContext): void => {
  if (!ctx.caller.roles.some((r) => r.role === 'operator'))
    throw new DomainError('read_models.forbidden', 'only an operator may read or rebuild read models', 'forbidden');
};

const messageOf = (model: OperatedReadModel, status: ReadModelStatus): opsV1.ReadModel => ({
  name: status.projection,
  codeVersion: status.codeVersion,
  generation: status.generation,
  checkpoint: status.position === undefined ? '' : formatPosition(status.position),
  categories: [...model.definition.categories],
  documents: Object.fromEntries(Object.entries(status.documents).map(([k, n]) => [k, String(n)])),
  rebuild:
    status.rebuild === undefined
      ? undefined
      : {
          events: String(status.rebuild.events),
          fraction: status.rebuild.fraction,
          startedAt: status.rebuild.startedAt,
        },
});

export const readModelsGrpcService = (models: readonly OperatedReadModel[]): ServiceRegistration =>
  defineService(opsV1.ReadModelsServiceService, {
    listReadModels: async (_request, ctx) => {
      operatorOnly(ctx);
      return { readModels: models.map((m) => messageOf(m, m.status())) };
    },
    rebuildReadModel: async (request, ctx) => {
      operatorOnly(ctx);
      const model = models.find((m) => m.definition.name === request.name);
      if (model === undefined)
        throw new DomainError(
          'read_models.not_found',
          `no read model ${JSON.stringify(request.name.slice(0, 64))} here: ${models.map((m) => m.definition.name).join(', ')}`,
          'not_found',
        );
      const running = model.rebuild((progress) => {
        if (progress.done)
          ctx.logger.info({ readModel: model.definition.name, events: progress.events }, 'read model rebuilt');
      });
      running.catch((error: unknown) =>
        ctx.logger.error(
          {
            readModel: model.definition.name,
            err: { message: error instanceof Error ? error.message : String(error) },
          },
          'read model rebuild failed',
        ),
      );
      // Answer once the rebuild has begun, so that the answer shows it running.
      await new Promise((resolve) => setImmediate(resolve));
      return { readModel: messageOf(model, model.status()) };
    },
  });
