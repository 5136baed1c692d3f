import { jobIntakeV1, taskDecompositionV1 } from '@workshare/proto';
import { jobView, listJobsRequest, planView, submitJobRequest } from '../../src/adapters/http/views.js';

const job = (overrides: Partial<jobIntakeV1.Job> = {}): jobIntakeV1.Job => ({
  jobId: 'j1',
  businessId: 'b1',
  title: 't',
  description: 'd',
  workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_PROOFREADING,
  pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_HOURLY, hourlyRate: { yen: '1800' } },
  amount: { yen: '90000' },
  deadline: new Date('2026-06-30T14:59:59Z'),
  regionId: 'setagaya',
  localOnlyTownId: '',
  skills: ['proofreading'],
  status: jobIntakeV1.JobStatus.JOB_STATUS_IN_PROGRESS,
  quote: undefined,
  terms: undefined,
  inspections: [],
  reason: '',
  submittedAt: new Date('2026-06-01T00:00:00Z'),
  updatedAt: new Date('2026-06-02T00:00:00Z'),
  version: '4',
  ...overrides,
});

describe('proto messages in the API’s words', () => {
  it('a job: snake enums, yen as numbers, Tokyo times, empty strings as null', () => {
    expect(jobView(job())).toEqual({
      jobId: 'j1',
      businessId: 'b1',
      title: 't',
      description: 'd',
      workCategory: 'proofreading',
      pricing: { kind: 'hourly', hourlyRateYen: 1800 },
      amountYen: 90_000,
      deadline: '2026-06-30T23:59:59.000+09:00',
      regionId: 'setagaya',
      localOnlyTownId: null,
      skills: ['proofreading'],
      status: 'in_progress',
      quote: null,
      terms: null,
      inspections: [],
      reason: null,
      submittedAt: '2026-06-01T09:00:00.000+09:00',
      updatedAt: '2026-06-02T09:00:00.000+09:00',
      version: 4,
    });
  });

  it('a service breaking its contract is an error, never a guess: unknown status, missing time, yen beyond JSON', () => {
    expect(() => jobView(job({ status: 42 as jobIntakeV1.JobStatus }))).toThrow(/unknown job status/);
    expect(() => jobView(job({ status: jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED }))).toThrow(/unknown job status/);
    expect(() => jobView(job({ deadline: undefined }))).toThrow(/no deadline/);
    expect(() => jobView(job({ amount: { yen: '9007199254740993' } }))).toThrow(/does not fit/);
  });

  it('a submission: names to enums, yen to int64 strings, an absent town as empty', () => {
    const request = submitJobRequest('r1', {
      businessId: 'b1',
      title: 't',
      description: '',
      workCategory: 'illustration',
      pricing: { kind: 'fixed_price' },
      amountYen: 250_000,
      deadline: '2026-07-01T00:00:00+09:00',
      regionId: 'chofu',
      skills: [],
    });
    expect(request).toMatchObject({
      requestId: 'r1',
      workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_ILLUSTRATION,
      pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE, hourlyRate: undefined },
      amount: { yen: '250000' },
      deadline: new Date('2026-06-30T15:00:00Z'),
      localOnlyTownId: '',
    });
  });

  it('list filters left out are the proto defaults (no filter)', () => {
    expect(listJobsRequest({})).toEqual({ page: { pageSize: 0, pageToken: '' }, regionId: '', businessId: '', status: jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED });
    expect(listJobsRequest({ status: 'delivered', pageSize: 20 }).status).toBe(jobIntakeV1.JobStatus.JOB_STATUS_DELIVERED);
  });

  it('a cancelled plan says why', () => {
    const plan = planView({
      jobId: 'j1',
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/tara',
      status: taskDecompositionV1.PlanStatus.PLAN_STATUS_CANCELLED,
      tasks: [],
      round: 1,
      jobEstimatedMinutes: 120,
      jobDeadline: new Date('2026-06-30T15:00:00Z'),
      maxTaskMinutes: 120,
      reworkReason: '',
      cancelReason: 'the business closed',
      version: '3',
    });
    expect(plan).toMatchObject({ status: 'cancelled', cancelReason: 'the business closed', reworkReason: null, localOnlyTownId: 'fujisato/tara', jobDeadline: '2026-07-01T00:00:00.000+09:00', version: 3 });
  });
});
