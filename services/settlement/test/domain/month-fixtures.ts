/**
 * A small close of Fujisato's November 2026: one hourly job of one business, a contractor who
 * worked on it over a Tokyo midnight, and her receipt.
 */
import { validateRegionSettlementConfig } from '../../src/domain/config.js';
import type { CloseInput } from '../../src/domain/model.js';
import { MINIMUM_WAGES } from '../../src/domain/tables.js';
import { CONFIG_INPUT, tokyo } from './deciders-fixtures.js';

export const CONFIG = validateRegionSettlementConfig(CONFIG_INPUT);
export const JOB = '0191f0a0-0000-7000-8000-0000000000a1';
export const BUSINESS = '0191f0a0-0000-7000-8000-0000000000b1';
export const HANAKO = '0191f0a0-0000-7000-8000-000000000001';

export const novemberInput = (overrides: Partial<CloseInput> = {}): CloseInput => ({
  config: CONFIG,
  month: '2026-11',
  closedAt: tokyo('2026-12-01T10:00:00'),
  jobs: [
    {
      jobId: JOB,
      businessId: BUSINESS,
      regionId: 'fujisato',
      title: '観光パンフレットの英訳',
      workCategory: 'translation',
      pricing: { kind: 'hourly', hourlyRateYen: 2_000n },
      feeYen: 100_000n,
      paymentDate: '2026-12-31',
      inspectionAcceptedAt: null,
      cancelledAt: null,
    },
  ],
  approved: [
    { memberId: HANAKO, jobId: JOB, day: '2026-11-10', minutes: 90 },
    { memberId: HANAKO, jobId: JOB, day: '2026-11-11', minutes: 30 },
  ],
  receipts: [{ memberId: HANAKO, jobId: JOB, receivedAt: tokyo('2026-11-11T00:30:00') }],
  members: [
    {
      memberId: HANAKO,
      regionId: 'fujisato',
      contractType: 'contractor',
      invoiceRegistrationNumber: null,
      forgotten: false,
    },
  ],
  businesses: [{ businessId: BUSINESS, name: '白神木工株式会社', registrationNumber: 'T4011001098993' }],
  minimumWages: MINIMUM_WAGES,
  previous: [],
  ...overrides,
});

const id = (prefix: string, n: number): string => `0191f0a0-0000-7000-${prefix}-${String(n).padStart(12, '0')}`;

/**
 * A region's November at scale, made up without randomness: `members` members (two in five
 * registered contractors, two unregistered, one an employee), `businesses` businesses with three
 * jobs each (two hourly, one fixed price inspected on the 27th), each member on two jobs for ten
 * days. At 800 members its settlement is about 1.4 MB of JSON, more than one event of the store
 * holds (1 MiB): its close is cut into several parts of its statements and of its journal.
 */
export const regionInput = (members: number, businesses: number): CloseInput => {
  const base = novemberInput();
  const jobs = Array.from({ length: businesses * 3 }, (_, j): CloseInput['jobs'][number] => {
    const businessId = id('8000', 1_000_000 + Math.floor(j / 3));
    const fixed = j % 3 === 2;
    return {
      ...base.jobs[0]!,
      jobId: id('8000', 2_000_000 + j),
      businessId,
      title: fixed ? `ロゴのデザイン ${j}` : `観光パンフレットの英訳 ${j}`,
      workCategory: fixed ? 'design' : 'translation',
      pricing: fixed ? { kind: 'fixed_price' } : { kind: 'hourly', hourlyRateYen: 1_200n + BigInt(j % 7) * 100n },
      feeYen: fixed ? 300_000n + BigInt(j) * 1_000n : 100_000n,
      inspectionAcceptedAt: fixed ? tokyo('2026-11-27T15:00:00') : null,
    };
  });
  const memberFacts = Array.from({ length: members }, (_, m): CloseInput['members'][number] => ({
    memberId: id('8000', m),
    regionId: 'fujisato',
    contractType: m % 5 === 4 ? 'employee' : 'contractor',
    invoiceRegistrationNumber: m % 5 < 2 ? `T${String(1_000_000_000_000 + m)}` : null,
    forgotten: false,
  }));
  const approved = memberFacts.flatMap((member, m) =>
    [m % jobs.length, (m * 7 + 3) % jobs.length].flatMap((j) =>
      Array.from({ length: 5 }, (_, d) => ({
        memberId: member.memberId,
        jobId: jobs[j]!.jobId,
        day: `2026-11-${String(2 + d * 5 + (j % 4)).padStart(2, '0')}`,
        minutes: 30 + ((m + d) % 9) * 15,
      })),
    ),
  );
  const receipts = memberFacts.flatMap((member, m) =>
    [m % jobs.length, (m * 7 + 3) % jobs.length].map((j) => ({
      memberId: member.memberId,
      jobId: jobs[j]!.jobId,
      receivedAt: tokyo('2026-11-25T18:00:00'),
    })),
  );
  return {
    ...base,
    jobs,
    approved,
    receipts,
    members: memberFacts,
    businesses: Array.from({ length: businesses }, (_, b) => ({
      businessId: id('8000', 1_000_000 + b),
      name: `藤里の会社 ${b}`,
      registrationNumber: 'T4011001098993',
    })),
  };
};
