import type { AvailabilityWindow } from '../domain/availability.js';
import type { ContractType } from '../domain/account.js';
import type { BankAccount } from '../domain/personal-data.js';
import type { EntityType } from '../domain/registration-number.js';
import type { PrefectureId } from '../domain/regions.js';
import type { PersonRole as Role } from '@workshare/eventsourcing';

/** Why the caller may read a member, which decides what of her personal data she sees. */
export type MemberAccess = 'self' | 'operator' | 'coordinator' | 'accountant';

/** Personal data as far as the caller may read it (fields she may not see are absent). */
export type ReadablePersonalData = {
  readonly status: 'readable';
  readonly name: string;
  readonly email?: string;
  readonly address?: string;
  readonly bankAccount?: BankAccount;
};

/** The person was forgotten: her key is destroyed and her personal data cannot be read by anyone. */
export type ForgottenPersonalData = { readonly status: 'forgotten' };

export type ActiveMemberView = {
  readonly memberId: string;
  readonly status: 'active';
  readonly access: MemberAccess;
  readonly regionId: string;
  readonly townId: string;
  readonly prefecture: PrefectureId;
  readonly contractType: ContractType;
  readonly skills: readonly string[];
  readonly availability: readonly AvailabilityWindow[];
  readonly timeZone: 'Asia/Tokyo';
  readonly roles: readonly Role[];
  /** When her registration occurred. */
  readonly registeredAt: Date;
  readonly personalData: ReadablePersonalData | ForgottenPersonalData;
};

/** A forgotten member: only that she was, and in which region (the history keeps the rest, sealed). */
export type ForgottenMemberView = {
  readonly memberId: string;
  readonly status: 'forgotten';
  readonly access: MemberAccess;
  readonly regionId: string;
  readonly registeredAt: Date;
  readonly personalData: ForgottenPersonalData;
};

export type MemberView = ActiveMemberView | ForgottenMemberView;

/** A member in a list: no personal data (ask getMember, which checks who may read it). */
export type MemberSummary =
  | {
      readonly memberId: string;
      readonly status: 'active';
      readonly regionId: string;
      readonly townId: string;
      readonly prefecture: PrefectureId;
      readonly contractType: ContractType;
      readonly skills: readonly string[];
      readonly availability: readonly AvailabilityWindow[];
      readonly roles: readonly Role[];
      readonly registeredAt: Date;
    }
  | { readonly memberId: string; readonly status: 'forgotten'; readonly regionId: string; readonly registeredAt: Date };

export type UserView =
  | {
      readonly userId: string;
      readonly status: 'active';
      readonly roles: readonly Role[];
      readonly personalData:
        { readonly status: 'readable'; readonly name: string; readonly email: string } | ForgottenPersonalData;
    }
  | { readonly userId: string; readonly status: 'forgotten'; readonly personalData: ForgottenPersonalData };

export type BusinessView = {
  readonly businessId: string;
  readonly name: string;
  readonly registrationNumber: string;
  readonly entityType: EntityType;
  readonly regionId: string;
  /** A corporation's address, when it was given. */
  readonly address?: string;
};

export type RegionView = {
  readonly id: string;
  readonly name: string;
  readonly nameJa: string;
  readonly office: {
    readonly name: string;
    readonly nameJa: string;
    readonly prefecture: { readonly id: PrefectureId; readonly name: string; readonly nameJa: string };
  };
  readonly towns: readonly { readonly id: string; readonly name: string; readonly nameJa: string }[];
};
