import { parsePublished, type Catalogue, type ConsumedOf } from '@workshare/contracts';
import { ValidationError, type RecordedEvent } from '@workshare/eventsourcing';

/**
 * Another service's event read through its producer's published catalogue (@workshare/contracts):
 * the event typed by its schema, or undefined for an event the producer does not publish (never
 * read: only its stream version counts, see the read models). A published event that does not
 * follow its schema, or comes at a version the catalogue does not know, is refused with
 * `settlement.malformed_event` (the contract's code and the field at fault in the details): money
 * is never computed from an event read halfway, so the read model stops there until it is fixed.
 */
export const publishedEventOf = <C extends Catalogue>(
  catalogue: C,
  event: RecordedEvent,
): ConsumedOf<C> | undefined => {
  const result = parsePublished(catalogue, event);
  if (result.ok) return result.value;
  if (result.error.code === 'contract.unpublished_event') return undefined;
  throw new ValidationError('settlement.malformed_event', `${event.type} ${event.id}: ${result.error.message}`, {
    eventId: event.id,
    type: event.type,
    streamName: event.streamName,
    contractCode: result.error.code,
    ...(result.error.field === undefined ? {} : { field: result.error.field }),
  });
};
