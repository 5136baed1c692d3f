import { jobIntakeV1 } from '@workshare/proto';
import { JOB_STATUSES, LIMITS, PRICING_KINDS, WORK_CATEGORIES } from '../src/contract.js';
import { pricingOf, statusFilterOf, workCategoryOf } from '../src/adapters/grpc/messages.js';

// The published contract (what the HTTP edge's schemas import) is what the service speaks.
describe('@workshare/job-intake/contract', () => {
  const protoValues = <T extends number>(values: Record<string, T | string>): T[] =>
    Object.values(values).filter((v): v is T => typeof v === 'number' && v > 0);

  it('WORK_CATEGORIES are the categories of the gRPC contract, each once', () => {
    const categories = protoValues(jobIntakeV1.WorkCategory).map(workCategoryOf);
    expect([...categories].sort()).toEqual([...WORK_CATEGORIES].sort());
  });

  it('JOB_STATUSES are the statuses of the gRPC contract, each once', () => {
    const statuses = protoValues(jobIntakeV1.JobStatus).map(statusFilterOf);
    expect([...statuses].sort()).toEqual([...JOB_STATUSES].sort());
  });

  it('PRICING_KINDS are the pricing kinds of the gRPC contract', () => {
    const kinds = protoValues(jobIntakeV1.PricingKind).map(
      (kind) =>
        pricingOf({ kind, hourlyRate: kind === jobIntakeV1.PricingKind.PRICING_KIND_HOURLY ? { yen: '1' } : undefined })
          .kind,
    );
    expect([...kinds].sort()).toEqual([...PRICING_KINDS].sort());
  });

  it('LIMITS: money from ¥1 (integer yen), estimates from one minute', () => {
    expect(LIMITS.minAmountYen).toBe(1n);
    expect(typeof LIMITS.maxAmountYen).toBe('bigint');
    expect(LIMITS.minEstimatedMinutes).toBe(1);
    expect(Object.isFrozen(LIMITS)).toBe(true);
  });
});
