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
