import type { Actor } from '@workshare/eventsourcing';
import type { JobEvent, RegionRef, SubmitJob } from '../../src/domain/job.js';

export const JOB = '01900000-0000-7000-8000-00000000a001';
export const BUSINESS = '01900000-0000-7000-8000-00000000b001';
export const OTHER_BUSINESS = '01900000-0000-7000-8000-00000000b002';

export const business: Actor = { id: 'user-biz', roles: [{ kind: 'business', businessId: BUSINESS }] };
export const otherBusiness: Actor = { id: 'user-other-biz', roles: [{ kind: 'business', businessId: OTHER_BUSINESS }] };
export const coordinator: Actor = {
  id: 'co-fujisato',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
};
export const setagayaCoordinator: Actor = {
  id: 'co-setagaya',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'setagaya' }],
};
export const operator: Actor = { id: 'op', roles: [{ kind: 'operator' }] };
export const accountant: Actor = { id: 'acc', roles: [{ kind: 'accountant' }] };
export const member: Actor = { id: 'mem', roles: [{ kind: 'member' }] };
export const system: Actor = { id: 'system:job-intake', roles: [{ kind: 'system' }] };

export const REGIONS: readonly RegionRef[] = [
  { id: 'fujisato', townIds: ['fujisato/fujikoto', 'fujisato/kasuge', 'fujisato/tara'] },
  { id: 'setagaya', townIds: ['setagaya/sangenjaya'] },
];

/** "Now" for every command: 2026-04-01 09:00 Asia/Tokyo. */
export const NOW = new Date('2026-04-01T00:00:00.000Z');
export const DEADLINE = new Date('2026-06-30T08:00:00.000Z');
export const DELIVERY = new Date('2026-06-15T08:00:00.000Z');

export const submit = (overrides: Partial<SubmitJob> = {}): SubmitJob => ({
  type: 'SubmitJob',
  jobId: JOB,
  businessId: BUSINESS,
  businessRegionId: 'fujisato',
  title: '町史の文字起こし',
  description: '録音 12 時間分の文字起こし',
  workCategory: 'transcription',
  pricing: { kind: 'fixed_price' },
  amountYen: 240_000n,
  deadline: DEADLINE,
  regionId: 'fujisato',
  localOnlyTownId: null,
  skills: ['transcription'],
  regions: REGIONS,
  by: business,
  at: NOW,
  ...overrides,
});

export const submitted = (overrides: Partial<Extract<JobEvent, { type: 'JobSubmitted' }>['data']> = {}): JobEvent => ({
  type: 'JobSubmitted',
  data: {
    jobId: JOB,
    businessId: BUSINESS,
    title: '町史の文字起こし',
    description: '録音 12 時間分の文字起こし',
    workCategory: 'transcription',
    pricing: { kind: 'fixed_price' },
    amountYen: '240000',
    deadline: DEADLINE.toISOString(),
    regionId: 'fujisato',
    localOnlyTownId: null,
    skills: ['transcription'],
    submittedBy: business.id,
    ...overrides,
  },
});

export const quoted = (overrides: Partial<Extract<JobEvent, { type: 'JobQuoted' }>['data']> = {}): JobEvent => ({
  type: 'JobQuoted',
  data: {
    jobId: JOB,
    amountYen: '220000',
    estimatedMinutes: 900,
    deliveryDate: DELIVERY.toISOString(),
    note: '',
    quotedBy: coordinator.id,
    ...overrides,
  },
});

export const accepted = (): JobEvent => ({
  type: 'JobAccepted',
  data: {
    jobId: JOB,
    businessId: BUSINESS,
    regionId: 'fujisato',
    localOnlyTownId: null,
    workCategory: 'transcription',
    title: '町史の文字起こし',
    skills: ['transcription'],
    deadline: DEADLINE.toISOString(),
    estimatedMinutes: 900,
    pricing: { kind: 'fixed_price' },
    feeYen: '220000',
    deliveryDate: DELIVERY.toISOString(),
    // Delivered 15 June 17:00 Tokyo: inspected by 25 June; paid on 31 July (Tokyo), the last day of the next month.
    inspectionDate: '2026-06-25T08:00:00.000Z',
    paymentDate: '2026-07-30T15:00:00.000Z',
    acceptedBy: business.id,
  },
});

export const started = (by: Actor = coordinator): JobEvent => ({
  type: 'JobStarted',
  data: { jobId: JOB, startedBy: by.id },
});
export const delivered = (note = ''): JobEvent => ({
  type: 'JobDelivered',
  data: { jobId: JOB, note, deliveredBy: coordinator.id },
});
export const inspected = (ok: boolean, reason = ''): JobEvent => ({
  type: 'JobInspected',
  data: { jobId: JOB, accepted: ok, reason, inspectedBy: business.id },
});
export const closed = (): JobEvent => ({ type: 'JobClosed', data: { jobId: JOB, closedBy: coordinator.id } });
export const declined = (reason = 'over budget'): JobEvent => ({
  type: 'QuoteDeclined',
  data: { jobId: JOB, reason, declinedBy: business.id },
});
export const cancelled = (by: Actor = business, reason = 'no longer needed'): JobEvent => ({
  type: 'JobCancelled',
  data: { jobId: JOB, reason, cancelledBy: by.id },
});

/** Histories that leave the job in each status. */
export const HISTORY = {
  submitted: [submitted()],
  quoted: [submitted(), quoted()],
  accepted: [submitted(), quoted(), accepted()],
  declined: [submitted(), quoted(), declined()],
  in_progress: [submitted(), quoted(), accepted(), started()],
  delivered: [submitted(), quoted(), accepted(), started(), delivered()],
  inspected: [submitted(), quoted(), accepted(), started(), delivered(), inspected(true)],
  closed: [submitted(), quoted(), accepted(), started(), delivered(), inspected(true), closed()],
  cancelled: [submitted(), cancelled()],
} as const satisfies Record<string, readonly JobEvent[]>;
