import { jobIntakeV1 } from '@workshare/proto';
import {
  instantOf,
  listJobsQuery,
  pricingOf,
  requestIdOf,
  statusFilterOf,
  submitJobInput,
  workCategoryOf,
  yenOf,
} from '../../src/adapters/grpc/messages.js';

const { WorkCategory, PricingKind, JobStatus } = jobIntakeV1;

const refusedWith = (run: () => unknown, code: string, field?: string): void => {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code, kind: 'invalid', ...(field !== undefined ? { details: { field } } : {}) });
};

describe('request checks at the edge', () => {
  it('money: absent is missing; fractional or non-numeric yen is refused; negative passes on (the domain refuses it with its rule)', () => {
    expect(yenOf({ yen: '120000' }, 'amount')).toBe(120_000n);
    expect(yenOf({ yen: '-5' }, 'amount')).toBe(-5n);
    refusedWith(() => yenOf(undefined, 'amount'), 'request.missing_field', 'amount');
    refusedWith(() => yenOf({ yen: '12.5' }, 'amount'), 'request.invalid_money', 'amount');
    refusedWith(() => yenOf({ yen: '1e3' }, 'amount'), 'request.invalid_money', 'amount');
    refusedWith(() => yenOf({ yen: '99999999999999999999' }, 'amount'), 'request.invalid_money', 'amount');
  });

  it('timestamps and request ids are required', () => {
    refusedWith(() => instantOf(undefined, 'deadline'), 'request.missing_field', 'deadline');
    refusedWith(() => instantOf(new Date(Number.NaN), 'deadline'), 'request.missing_field', 'deadline');
    refusedWith(() => requestIdOf({ requestId: '  ' }), 'request.missing_field', 'request_id');
    expect(requestIdOf({ requestId: 'r-1' })).toBe('r-1');
  });

  it('enums left unspecified are refused', () => {
    expect(workCategoryOf(WorkCategory.WORK_CATEGORY_PROOFREADING)).toBe('proofreading');
    refusedWith(
      () => workCategoryOf(WorkCategory.WORK_CATEGORY_UNSPECIFIED),
      'job.invalid_work_category',
      'work_category',
    );
    refusedWith(() => pricingOf({ kind: PricingKind.PRICING_KIND_UNSPECIFIED }), 'job.invalid_pricing', 'pricing.kind');
    expect(statusFilterOf(JobStatus.JOB_STATUS_UNSPECIFIED)).toBeUndefined();
    expect(statusFilterOf(JobStatus.JOB_STATUS_IN_PROGRESS)).toBe('in_progress');
  });

  it('pricing: hourly needs its rate, fixed price carries none', () => {
    expect(pricingOf({ kind: PricingKind.PRICING_KIND_HOURLY, hourlyRate: { yen: '1500' } })).toEqual({
      kind: 'hourly',
      hourlyRateYen: 1500n,
    });
    expect(pricingOf({ kind: PricingKind.PRICING_KIND_FIXED_PRICE })).toEqual({ kind: 'fixed_price' });
    refusedWith(() => pricingOf(undefined), 'request.missing_field', 'pricing');
    refusedWith(
      () => pricingOf({ kind: PricingKind.PRICING_KIND_HOURLY }),
      'request.missing_field',
      'pricing.hourly_rate',
    );
    refusedWith(
      () => pricingOf({ kind: PricingKind.PRICING_KIND_FIXED_PRICE, hourlyRate: { yen: '0' } }),
      'job.invalid_pricing',
      'pricing.hourly_rate',
    );
  });

  it('an empty local-only town means none; empty list filters mean none', () => {
    const input = submitJobInput({
      requestId: 'r',
      businessId: 'b',
      title: 't',
      description: '',
      workCategory: WorkCategory.WORK_CATEGORY_DATA_ENTRY,
      pricing: { kind: PricingKind.PRICING_KIND_FIXED_PRICE },
      amount: { yen: '1' },
      deadline: new Date('2030-01-01T00:00:00Z'),
      regionId: 'fujisato',
      localOnlyTownId: ' ',
      skills: ['data entry'],
    });
    expect(input.localOnlyTownId).toBeNull();
    expect(listJobsQuery({ regionId: '', businessId: '', status: 0 })).toEqual({});
    expect(
      listJobsQuery({
        page: { pageSize: 10, pageToken: 'x' },
        regionId: 'fujisato',
        businessId: '',
        status: JobStatus.JOB_STATUS_CLOSED,
      }),
    ).toEqual({
      regionId: 'fujisato',
      status: 'closed',
      pageSize: 10,
      pageToken: 'x',
    });
  });
});
