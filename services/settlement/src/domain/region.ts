/**
 * Who issues the invoices and pays the members of a region: its settlement configuration, on
 * the stream `region_settlement-<regionId>` (one RegionConfigured per change; the latest holds).
 * Pure: the command carries the caller and what identity says of the region's office.
 *
 * - Only an operator configures a region (`settlement.forbidden`): the cooperative's name,
 *   registration number and bank account are the platform's to set, not a coordinator's.
 * - The configuration is checked whole by `validateRegionSettlementConfig` (config.ts: the registration
 *   number's check digit, the Zengin codes, the margin, the pay day...), refused with its codes.
 * - The region must be one identity serves (`settlement.unknown_region`), and the office
 *   prefecture (whose minimum wage binds the region's employees) that of the region's office in
 *   identity (`settlement.office_prefecture_mismatch`).
 * - The same configuration again changes nothing (no event).
 */
import {
  canonicalJson,
  DomainError,
  ForbiddenError,
  isOperator,
  ValidationError,
  type Actor,
  type Decider,
  type JsonObject,
} from '@workshare/eventsourcing';
import { regionConfigFromJson, regionConfigToJson } from './codec.js';
import { validateRegionSettlementConfig, type RegionSettlementConfigInput } from './config.js';
import type { PrefectureId, RegionSettlementConfig } from './model.js';

export const REGION_CATEGORY = 'region_settlement';

/** The stream of a region's settlement configuration. */
export const regionStream = (regionId: string): string => `${REGION_CATEGORY}-${regionId}`;

export interface ConfigureRegion {
  readonly type: 'ConfigureRegion';
  /** As the caller gave it (validated here; the rounding and the reading may be left to their defaults). */
  readonly config: RegionSettlementConfigInput;
  /** The prefecture of the region's office as identity records it; undefined when identity serves no such region. */
  readonly officePrefecture: PrefectureId | undefined;
  readonly by: Actor;
}

export type RegionCommand = ConfigureRegion;

/** The validated configuration as stored (RegionSettlementConfig holds no money or instants: plain JSON). */
export type RegionConfigured = {
  readonly type: 'RegionConfigured';
  readonly data: { regionId: string; config: JsonObject; configuredBy: string };
};

export type RegionEvent = RegionConfigured;

export type RegionState =
  { readonly status: 'unconfigured' } | { readonly status: 'configured'; readonly config: RegionSettlementConfig };

export const REGION_EVENT_TYPES: readonly RegionEvent['type'][] = ['RegionConfigured'];

const sameConfig = (a: RegionSettlementConfig, b: RegionSettlementConfig): boolean =>
  canonicalJson(regionConfigToJson(a)) === canonicalJson(regionConfigToJson(b));

export const initialState = (): RegionState => ({ status: 'unconfigured' });

export const decide = (command: RegionCommand, state: RegionState): RegionEvent[] => {
  if (!isOperator(command.by))
    throw new ForbiddenError('settlement.forbidden', 'only an operator configures how a region is settled');
  const config = validateRegionSettlementConfig(command.config);
  if (command.officePrefecture === undefined)
    throw new ValidationError(
      'settlement.unknown_region',
      `identity serves no region ${JSON.stringify(config.regionId)}`,
      {
        field: 'regionId',
        regionId: config.regionId,
      },
    );
  if (config.officePrefecture !== command.officePrefecture)
    throw new DomainError(
      'settlement.office_prefecture_mismatch',
      `the office of ${config.regionId} is in ${command.officePrefecture}, not ${config.officePrefecture}: its minimum wage binds the region's employees`,
      'invalid',
      { field: 'officePrefecture', expected: command.officePrefecture },
    );
  if (state.status === 'configured' && sameConfig(state.config, config)) return [];
  return [
    {
      type: 'RegionConfigured',
      data: { regionId: config.regionId, config: regionConfigToJson(config), configuredBy: command.by.id },
    },
  ];
};

export const evolve = (state: RegionState, event: RegionEvent): RegionState => {
  switch (event.type) {
    case 'RegionConfigured':
      return { status: 'configured', config: regionConfigFromJson(event.data.config) };
    default:
      return state;
  }
};

export const regionDecider: Decider<RegionCommand, RegionEvent, RegionState> = { decide, evolve, initialState };
