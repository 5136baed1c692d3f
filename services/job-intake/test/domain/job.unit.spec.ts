import { DeciderSpecification, fold } from '@workshare/eventsourcing';
import { jobDecider, LIMITS, type JobCommand, type JobEvent, type JobStatus } from '../../src/domain/job.js';
import {
  accepted,
  accountant,
  business,
  BUSINESS,
  cancelled,
  closed,
  coordinator,
  DEADLINE,
  declined,
  delivered,
  DELIVERY,
  HISTORY,
  inspected,
  JOB,
  member,
  NOW,
  operator,
  otherBusiness,
  quoted,
  setagayaCoordinator,
  started,
  submit,
  submitted,
  system,
} from './fixtures.js';
import type { Actor } from '@workshare/eventsourcing';

const spec = DeciderSpecification.for(jobDecider);
const STATUSES = Object.keys(HISTORY) as (keyof typeof HISTORY)[];
const statusesBut = (...allowed: JobStatus[]) => STATUSES.filter((s) => !allowed.includes(s));

const quote = (overrides: Partial<Extract<JobCommand, { type: 'QuoteJob' }>> = {}): JobCommand => ({
  type: 'QuoteJob',
  amountYen: 220_000n,
  estimatedMinutes: 900,
  deliveryDate: DELIVERY,
  note: '',
  by: coordinator,
  at: NOW,
  ...overrides,
});
const accept = (by: Actor = business, at: Date = NOW): JobCommand => ({ type: 'AcceptQuote', by, at });
const decline = (reason = 'over budget', by: Actor = business): JobCommand => ({ type: 'DeclineQuote', reason, by });
const start = (by: Actor = coordinator): JobCommand => ({ type: 'StartJob', by });
const deliver = (note = '', by: Actor = coordinator): JobCommand => ({ type: 'DeliverJob', note, by });
const inspect = (ok: boolean, reason = '', by: Actor = business): JobCommand => ({
  type: 'InspectJob',
  accepted: ok,
  reason,
  by,
});
const close = (by: Actor = coordinator): JobCommand => ({ type: 'CloseJob', by });
const cancel = (by: Actor = business, reason = 'no longer needed'): JobCommand => ({ type: 'CancelJob', reason, by });

const history = (status: keyof typeof HISTORY): JobEvent[] => [...HISTORY[status]];

describe('job decider', () => {
  describe('SubmitJob', () => {
    it('lets the business submit a job for itself', () => {
      spec.given([]).when(submit()).then([submitted()]);
    });

    it('lets a coordinator of the job’s region take a job down for a local business, and an operator', () => {
      spec
        .given([])
        .when(submit({ by: coordinator }))
        .then([submitted({ submittedBy: coordinator.id })]);
      spec
        .given([])
        .when(submit({ by: operator }))
        .then([submitted({ submittedBy: operator.id })]);
    });

    it('records hourly pricing (準委任) with its rate, a local-only town, and trims the texts', () => {
      spec
        .given([])
        .when(
          submit({
            pricing: { kind: 'hourly', hourlyRateYen: 1_500n },
            localOnlyTownId: 'fujisato/kasuge',
            title: '  町史の文字起こし ',
            description: ' 録音 12 時間分の文字起こし\n',
            skills: [' transcription ', 'data entry'],
          }),
        )
        .then([
          submitted({
            pricing: { kind: 'hourly', hourlyRateYen: '1500' },
            localOnlyTownId: 'fujisato/kasuge',
            skills: ['transcription', 'data entry'],
          }),
        ]);
    });

    it('takes the limits themselves: a 200-character title, 10,000 characters of description, ¥1 and ¥1,000,000,000,000, 20 skills', () => {
      const title = '藤'.repeat(200);
      const description = 'x'.repeat(10_000);
      const skills = Array.from({ length: 20 }, (_, i) => `skill-${i}`);
      spec
        .given([])
        .when(submit({ title, description, amountYen: 1_000_000_000_000n, skills }))
        .then([submitted({ title, description, amountYen: '1000000000000', skills })]);
      spec
        .given([])
        .when(submit({ amountYen: 1n }))
        .then([submitted({ amountYen: '1' })]);
    });

    it('refuses a job id already submitted', () => {
      spec.given(history('submitted')).when(submit()).thenThrows('job.already_submitted', 'rule');
    });

    it.each([
      ['another business', otherBusiness],
      ['a coordinator of another region', setagayaCoordinator],
      ['a member', member],
      ['the accountant (read-only)', accountant],
    ])('refuses %s', (_, by) => {
      spec.given([]).when(submit({ by })).thenThrows('job.forbidden', 'forbidden');
    });

    it.each<[string, Parameters<typeof submit>[0], string, string]>([
      ['an empty title', { title: '   ' }, 'job.invalid_title', 'title'],
      ['a title of 201 characters', { title: 'x'.repeat(201) }, 'job.invalid_title', 'title'],
      [
        'a description of 10,001 characters',
        { description: 'x'.repeat(10_001) },
        'job.invalid_description',
        'description',
      ],
      ['an unknown work category', { workCategory: 'gardening' as never }, 'job.invalid_work_category', 'workCategory'],
      [
        'an hourly rate of ¥0',
        { pricing: { kind: 'hourly', hourlyRateYen: 0n } },
        'job.invalid_amount',
        'pricing.hourlyRateYen',
      ],
      [
        'a fixed price carrying an hourly rate',
        { pricing: { kind: 'fixed_price', hourlyRateYen: 1_000n } as never },
        'job.invalid_pricing',
        'pricing',
      ],
      ['a pricing of no known kind', { pricing: { kind: 'barter' } as never }, 'job.invalid_pricing', 'pricing'],
      ['an amount of ¥0', { amountYen: 0n }, 'job.invalid_amount', 'amountYen'],
      ['a negative amount', { amountYen: -5n }, 'job.invalid_amount', 'amountYen'],
      ['an amount above ¥1,000,000,000,000', { amountYen: 1_000_000_000_001n }, 'job.invalid_amount', 'amountYen'],
      [
        'an amount that is not a bigint (a float crept in)',
        { amountYen: 1.5 as never },
        'job.invalid_amount',
        'amountYen',
      ],
      ['a deadline that is now', { deadline: NOW }, 'job.invalid_deadline', 'deadline'],
      ['a deadline in the past', { deadline: new Date('2026-03-01T00:00:00Z') }, 'job.invalid_deadline', 'deadline'],
      ['a deadline that is no time', { deadline: new Date('nonsense') }, 'job.invalid_deadline', 'deadline'],
      ['an unknown region', { regionId: 'atlantis', businessRegionId: 'atlantis' }, 'job.unknown_region', 'regionId'],
      [
        'a region that does not serve the business',
        { regionId: 'setagaya', by: business },
        'job.region_mismatch',
        'regionId',
      ],
      ['a town of another region', { localOnlyTownId: 'setagaya/sangenjaya' }, 'job.unknown_town', 'localOnlyTownId'],
      ['a town slug without its region', { localOnlyTownId: 'kasuge' }, 'job.unknown_town', 'localOnlyTownId'],
      ['no skills', { skills: [] }, 'job.invalid_skills', 'skills'],
      ['21 skills', { skills: Array.from({ length: 21 }, (_, i) => `s${i}`) }, 'job.invalid_skills', 'skills'],
      ['the same skill twice', { skills: ['writing', ' writing'] }, 'job.invalid_skills', 'skills'],
      ['a blank skill', { skills: ['writing', '  '] }, 'job.invalid_skills', 'skills'],
      ['a skill of 61 characters', { skills: ['x'.repeat(LIMITS.skillLength + 1)] }, 'job.invalid_skills', 'skills'],
    ])('refuses %s, naming the field', (_, overrides, code, field) => {
      const error = spec.given([]).when(submit(overrides)).thenThrows(code, 'invalid');
      expect(error.details).toMatchObject({ field });
    });
  });

  describe('text the store can keep', () => {
    it('counts characters, not UTF-16 units: 200 characters outside the BMP are a title', () => {
      const title = '𠀋'.repeat(200);
      spec
        .given([])
        .when(submit({ title }))
        .then([submitted({ title })]);
      spec
        .given([])
        .when(submit({ title: '𠀋'.repeat(201) }))
        .thenThrows('job.invalid_title', 'invalid');
    });

    it.each<[string, Parameters<typeof submit>[0], string]>([
      ['a NUL in the title', { title: 'a\u0000b' }, 'title'],
      ['a NUL in the description', { description: 'line\u0000' }, 'description'],
      ['a lone surrogate in the description', { description: 'broken \ud800 text' }, 'description'],
      ['a NUL in a skill', { skills: ['writing', 'data\u0000entry'] }, 'skills[1]'],
    ])('refuses %s with text.invalid_characters, naming the field', (_, overrides, field) => {
      const error = spec.given([]).when(submit(overrides)).thenThrows('text.invalid_characters', 'invalid');
      expect(error.details).toMatchObject({ field });
    });

    it('refuses a NUL in a note or a reason', () => {
      spec
        .given(history('submitted'))
        .when(quote({ note: '\u0000' }))
        .thenThrows('text.invalid_characters', 'invalid');
      spec.given(history('quoted')).when(decline('too\u0000dear')).thenThrows('text.invalid_characters', 'invalid');
      spec.given(history('in_progress')).when(deliver('done\u0000')).thenThrows('text.invalid_characters', 'invalid');
      spec.given(history('delivered')).when(inspect(false, '\u0000')).thenThrows('text.invalid_characters', 'invalid');
      spec
        .given(history('submitted'))
        .when(cancel(business, 'no\u0000'))
        .thenThrows('text.invalid_characters', 'invalid');
    });

    it('shows a refused region or town in a short escaped preview (32 characters), never in full', () => {
      const long = `x${'\u0001'.repeat(5_000)}`;
      const region = spec
        .given([])
        .when(submit({ regionId: long, businessRegionId: long }))
        .thenThrows('job.unknown_region', 'invalid');
      const town = spec
        .given([])
        .when(submit({ localOnlyTownId: long }))
        .thenThrows('job.unknown_town', 'invalid');
      for (const error of [region, town]) {
        expect(error.message.length).toBeLessThan(300);
        expect(error.message).not.toContain('\u0001');
        expect(error.message).toContain('"x\\u0001');
      }
    });
  });

  describe('QuoteJob', () => {
    it('quotes a submitted job (coordinator of its region)', () => {
      spec.given(history('submitted')).when(quote()).then([quoted()]);
    });

    it('quotes it again while the business has not answered', () => {
      spec
        .given(history('quoted'))
        .when(quote({ amountYen: 200_000n, estimatedMinutes: 840, note: '  再見積もり ' }))
        .then([quoted({ amountYen: '200000', estimatedMinutes: 840, note: '再見積もり' })]);
    });

    it('takes a delivery date on the deadline itself', () => {
      spec
        .given(history('submitted'))
        .when(quote({ deliveryDate: DEADLINE }))
        .then([quoted({ deliveryDate: DEADLINE.toISOString() })]);
    });

    it('refuses a job that does not exist', () => {
      spec.given([]).when(quote()).thenThrows('job.not_found', 'not_found');
    });

    it.each([
      ['a coordinator of another region', setagayaCoordinator],
      ['the business', business],
      ['an operator', operator],
    ])('refuses %s', (_, by) => {
      spec.given(history('submitted')).when(quote({ by })).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('submitted', 'quoted'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(quote()).thenThrows('job.not_quotable', 'rule');
    });

    it.each<[string, Parameters<typeof quote>[0], string]>([
      ['an amount of ¥0', { amountYen: 0n }, 'job.invalid_amount'],
      ['a negative amount', { amountYen: -1n }, 'job.invalid_amount'],
      ['an estimate of 0 minutes', { estimatedMinutes: 0 }, 'job.invalid_estimated_minutes'],
      ['an estimate of 100,001 minutes', { estimatedMinutes: 100_001 }, 'job.invalid_estimated_minutes'],
      ['a fractional estimate', { estimatedMinutes: 90.5 }, 'job.invalid_estimated_minutes'],
      ['a delivery date that is now', { deliveryDate: NOW }, 'job.invalid_delivery_date'],
      ['a delivery date in the past', { deliveryDate: new Date('2026-01-01T00:00:00Z') }, 'job.invalid_delivery_date'],
      [
        'a delivery date after the deadline',
        { deliveryDate: new Date(DEADLINE.getTime() + 1) },
        'job.delivery_after_deadline',
      ],
      ['a note of 2,001 characters', { note: 'x'.repeat(LIMITS.noteLength + 1) }, 'job.invalid_note'],
    ])('refuses %s', (_, overrides, code) => {
      spec.given(history('submitted')).when(quote(overrides)).thenThrows(code, 'invalid');
    });
  });

  describe('AcceptQuote', () => {
    it('fixes the order terms: the quoted fee, the delivery date, inspection 10 days on, payment at the end of the next Tokyo month', () => {
      spec.given(history('quoted')).when(accept()).then([accepted()]);
    });

    it('accepts the latest quote when there were several', () => {
      const [event] = jobDecider.decide(
        accept(),
        fold(jobDecider, [...history('quoted'), quoted({ amountYen: '199000', estimatedMinutes: 800 })]),
      );
      expect(event).toMatchObject({ type: 'JobAccepted', data: { feeYen: '199000', estimatedMinutes: 800 } });
    });

    it('refuses a job that does not exist', () => {
      spec.given([]).when(accept()).thenThrows('job.not_found', 'not_found');
    });

    it.each([
      ['another business', otherBusiness],
      ['the coordinator', coordinator],
      ['an operator', operator],
    ])('refuses %s', (_, by) => {
      spec.given(history('quoted')).when(accept(by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('quoted'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(accept()).thenThrows('job.not_acceptable', 'rule');
    });

    it('refuses a quote whose delivery date has passed', () => {
      spec.given(history('quoted')).when(accept(business, DELIVERY)).thenThrows('job.quote_expired', 'rule');
    });
  });

  describe('DeclineQuote', () => {
    it('declines the quote with a reason (trimmed)', () => {
      spec
        .given(history('quoted'))
        .when(decline('  over budget '))
        .then([declined('over budget')]);
    });

    it.each([
      ['the coordinator', coordinator],
      ['another business', otherBusiness],
    ])('refuses %s', (_, by) => {
      spec.given(history('quoted')).when(decline('no', by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('quoted'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(decline()).thenThrows('job.not_declinable', 'rule');
    });

    it.each([
      ['no reason', ' '],
      ['a reason of 1,001 characters', 'x'.repeat(1_001)],
    ])('refuses %s', (_, reason) => {
      spec.given(history('quoted')).when(decline(reason)).thenThrows('job.invalid_reason', 'invalid');
    });
  });

  describe('StartJob', () => {
    it('starts an accepted job (a coordinator of its region)', () => {
      spec.given(history('accepted')).when(start()).then([started()]);
    });

    it('starts it for the process manager once its tasks are planned (the system)', () => {
      spec
        .given(history('accepted'))
        .when(start(system))
        .then([started(system)]);
    });

    it.each([
      ['the business', business],
      ['a coordinator of another region', setagayaCoordinator],
      ['an operator', operator],
    ])('refuses %s', (_, by) => {
      spec.given(history('accepted')).when(start(by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('accepted'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(start()).thenThrows('job.not_startable', 'rule');
    });

    it.each(statusesBut('accepted'))(
      'leaves a %s job as it is when the process manager starts it (a redelivered TasksPlanned, a job started or cancelled first)',
      (status) => {
        spec.given(history(status)).when(start(system)).thenNothing();
      },
    );
  });

  describe('DeliverJob', () => {
    it('delivers a job in progress, with a note', () => {
      spec
        .given(history('in_progress'))
        .when(deliver(' 納品します '))
        .then([delivered('納品します')]);
    });

    it('delivers again after a rejected inspection (rework)', () => {
      spec
        .given([...history('delivered'), inspected(false, '誤字が多い')])
        .when(deliver())
        .then([delivered()]);
    });

    it.each([
      ['the business', business],
      ['a coordinator of another region', setagayaCoordinator],
      ['the system', system],
    ])('refuses %s', (_, by) => {
      spec.given(history('in_progress')).when(deliver('', by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('in_progress'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(deliver()).thenThrows('job.not_deliverable', 'rule');
    });

    it('refuses a note of 2,001 characters', () => {
      spec
        .given(history('in_progress'))
        .when(deliver('x'.repeat(2_001)))
        .thenThrows('job.invalid_note', 'invalid');
    });
  });

  describe('InspectJob', () => {
    it('accepts delivered work', () => {
      spec
        .given(history('delivered'))
        .when(inspect(true))
        .then([inspected(true)]);
    });

    it('rejects delivered work with a reason, which sends the job back to work', () => {
      spec
        .given(history('delivered'))
        .when(inspect(false, ' 誤字が多い '))
        .then([inspected(false, '誤字が多い')]);
      const state = fold(jobDecider, [...history('delivered'), inspected(false, '誤字が多い')]);
      expect(state).toMatchObject({
        status: 'in_progress',
        inspections: [{ accepted: false, reason: '誤字が多い', inspectedBy: business.id }],
      });
    });

    it.each([
      ['the coordinator', coordinator],
      ['another business', otherBusiness],
    ])('refuses %s', (_, by) => {
      spec
        .given(history('delivered'))
        .when(inspect(true, '', by))
        .thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('delivered'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(inspect(true)).thenThrows('job.not_inspectable', 'rule');
    });

    it('refuses a rejection without a reason, or with one of 1,001 characters', () => {
      spec.given(history('delivered')).when(inspect(false, '  ')).thenThrows('job.invalid_reason', 'invalid');
      spec
        .given(history('delivered'))
        .when(inspect(false, 'x'.repeat(1_001)))
        .thenThrows('job.invalid_reason', 'invalid');
    });

    it('refuses a reason on an acceptance (a reason says why work was rejected)', () => {
      spec.given(history('delivered')).when(inspect(true, 'fine')).thenThrows('job.unexpected_reason', 'invalid');
    });
  });

  describe('CloseJob', () => {
    it('closes a job whose delivery was accepted', () => {
      spec.given(history('inspected')).when(close()).then([closed()]);
    });

    it.each([
      ['the business', business],
      ['a coordinator of another region', setagayaCoordinator],
    ])('refuses %s', (_, by) => {
      spec.given(history('inspected')).when(close(by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('inspected'))('refuses a %s job', (status) => {
      spec.given(history(status)).when(close()).thenThrows('job.not_closable', 'rule');
    });
  });

  describe('CancelJob', () => {
    it.each(['submitted', 'quoted'] as const)('lets the business or the coordinator cancel a %s job', (status) => {
      spec
        .given(history(status))
        .when(cancel(business))
        .then([cancelled(business)]);
      spec
        .given(history(status))
        .when(cancel(coordinator))
        .then([cancelled(coordinator)]);
    });

    it('lets the coordinator cancel an accepted job, before work starts', () => {
      spec
        .given(history('accepted'))
        .when(cancel(coordinator, '  担い手が見つからない '))
        .then([cancelled(coordinator, '担い手が見つからない')]);
    });

    it('refuses the business once the job is accepted', () => {
      spec.given(history('accepted')).when(cancel(business)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each([
      ['another business', otherBusiness],
      ['a coordinator of another region', setagayaCoordinator],
      ['an operator', operator],
    ])('refuses %s', (_, by) => {
      spec.given(history('submitted')).when(cancel(by)).thenThrows('job.forbidden', 'forbidden');
    });

    it.each(statusesBut('submitted', 'quoted', 'accepted'))('refuses to cancel a %s job', (status) => {
      spec.given(history(status)).when(cancel(coordinator)).thenThrows('job.not_cancellable', 'rule');
    });

    it('refuses a cancellation without a reason', () => {
      spec.given(history('submitted')).when(cancel(business, '')).thenThrows('job.invalid_reason', 'invalid');
    });
  });

  describe('evolve', () => {
    it('folds the whole life of a job, rework included', () => {
      const state = fold(jobDecider, [
        submitted({ pricing: { kind: 'hourly', hourlyRateYen: '1500' } }),
        quoted(),
        accepted(),
        started(),
        delivered(),
        inspected(false, '誤字が多い'),
        delivered(),
        inspected(true),
        closed(),
      ]);
      expect(state).toEqual({
        status: 'closed',
        jobId: JOB,
        businessId: BUSINESS,
        title: '町史の文字起こし',
        description: '録音 12 時間分の文字起こし',
        workCategory: 'transcription',
        pricing: { kind: 'hourly', hourlyRateYen: 1500n },
        amountYen: 240_000n,
        deadline: DEADLINE,
        regionId: 'fujisato',
        localOnlyTownId: null,
        skills: ['transcription'],
        submittedBy: business.id,
        quote: {
          amountYen: 220_000n,
          estimatedMinutes: 900,
          deliveryDate: DELIVERY,
          note: '',
          quotedBy: coordinator.id,
        },
        terms: {
          feeYen: 220_000n,
          deliveryDate: DELIVERY,
          inspectionDate: new Date('2026-06-25T08:00:00.000Z'),
          paymentDate: new Date('2026-07-30T15:00:00.000Z'),
          acceptedBy: business.id,
        },
        inspections: [
          { accepted: false, reason: '誤字が多い', inspectedBy: business.id },
          { accepted: true, reason: '', inspectedBy: business.id },
        ],
      });
    });

    it('keeps why a quote was declined or a job cancelled', () => {
      expect(fold(jobDecider, history('declined'))).toMatchObject({ status: 'declined', reason: 'over budget' });
      expect(fold(jobDecider, history('cancelled'))).toMatchObject({ status: 'cancelled', reason: 'no longer needed' });
    });

    it('ignores events of a job never submitted', () => {
      expect(fold(jobDecider, [quoted()])).toEqual({ status: 'none' });
    });
  });
});
