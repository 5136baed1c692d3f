/**
 * The people and the configuration the deciders' tests act with: actors as the deciders see them
 * (an id and roles), a valid Fujisato configuration (the cooperative's number checks: T7123456789012).
 */
import type { Actor } from '@workshare/eventsourcing';
import type { RegionSettlementConfigInput } from '../../src/domain/config.js';

export const operator: Actor = { id: 'u-operator', roles: [{ kind: 'operator' }] };
export const accountant: Actor = { id: 'u-accountant', roles: [{ kind: 'accountant' }] };
export const coordinator: Actor = {
  id: 'm-coordinator',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'fujisato' }],
};
export const setagayaCoordinator: Actor = {
  id: 'm-setagaya',
  roles: [{ kind: 'member' }, { kind: 'coordinator', regionId: 'setagaya' }],
};
export const member: Actor = { id: 'm-hanako', roles: [{ kind: 'member' }] };
export const business: Actor = { id: 'u-business', roles: [{ kind: 'business', businessId: 'b-1' }] };

export const CONFIG_INPUT: RegionSettlementConfigInput = {
  regionId: 'fujisato',
  issuerName: '藤里ワークシェア協同組合',
  registrationNumber: 'T7123456789012',
  address: '秋田県山本郡藤里町藤琴字藤琴8',
  payerAccount: {
    bankCode: '0117',
    bankNameKana: 'アキタ',
    branchCode: '123',
    branchNameKana: 'フジサト',
    type: 'ordinary',
    number: '1234567',
  },
  zenginRequesterCode: '123456789',
  requesterNameKana: 'フジサトワークシェアキョウドウクミアイ',
  marginBasisPoints: 1500,
  payDay: 25,
  invoiceRounding: 'floor',
  payTimingReading: 'two_months',
  officePrefecture: 'akita',
};

/** An instant given in Tokyo time (`2026-11-30T23:59:59`). */
export const tokyo = (local: string): Date => new Date(`${local}+09:00`);
