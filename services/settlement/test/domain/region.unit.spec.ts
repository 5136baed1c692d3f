import { DeciderSpecification } from '@workshare/eventsourcing';
import { regionConfigToJson } from '../../src/domain/codec.js';
import { validateRegionSettlementConfig } from '../../src/domain/config.js';
import { regionDecider, regionStream, type ConfigureRegion, type RegionEvent } from '../../src/domain/region.js';
import { accountant, CONFIG_INPUT, coordinator, operator } from './deciders-fixtures.js';

const spec = DeciderSpecification.for(regionDecider);

const configure = (overrides: Partial<ConfigureRegion> = {}): ConfigureRegion => ({
  type: 'ConfigureRegion',
  config: CONFIG_INPUT,
  officePrefecture: 'akita',
  by: operator,
  ...overrides,
});

const configured = (config = CONFIG_INPUT, by = operator.id): RegionEvent => ({
  type: 'RegionConfigured',
  data: { regionId: 'fujisato', config: regionConfigToJson(validateRegionSettlementConfig(config)), configuredBy: by },
});

describe('a region settlement configuration (region_settlement-<regionId>)', () => {
  it('is named after its region', () => {
    expect(regionStream('fujisato')).toBe('region_settlement-fujisato');
  });

  it('given nothing, an operator configures the region: RegionConfigured holds the validated configuration', () => {
    spec.given([]).when(configure()).then([configured()]);
  });

  it('fills the defaults the operator left out (floor rounding, the two-month reading) and trims texts', () => {
    const { invoiceRounding: _r, payTimingReading: _p, ...rest } = CONFIG_INPUT;
    const events = regionDecider.decide(
      configure({ config: { ...rest, issuerName: `  ${CONFIG_INPUT.issuerName} ` } }),
      regionDecider.initialState(),
    );
    expect(events[0]!.data.config).toMatchObject({
      invoiceRounding: 'floor',
      payTimingReading: 'two_months',
      issuerName: CONFIG_INPUT.issuerName,
    });
  });

  it('given a configuration, the same one again changes nothing', () => {
    spec.given([configured()]).when(configure()).thenNothing();
  });

  it('given a configuration, a changed one is recorded and is the one that holds', () => {
    const changed = { ...CONFIG_INPUT, marginBasisPoints: 1200, payDay: 31 };
    spec
      .given([configured()])
      .when(configure({ config: changed }))
      .then([configured(changed)]);
    const state = [configured(), configured(changed)].reduce(regionDecider.evolve, regionDecider.initialState());
    expect(state).toEqual({ status: 'configured', config: validateRegionSettlementConfig(changed) });
  });

  it.each([
    ['a coordinator of the region', coordinator],
    ['the accountant', accountant],
  ])('refuses %s: only an operator configures (settlement.forbidden)', (_who, by) => {
    spec.given([]).when(configure({ by })).thenThrows('settlement.forbidden', 'forbidden');
  });

  it('refuses a registration number whose check digit is wrong (the cooperative is a corporation)', () => {
    spec
      .given([])
      .when(configure({ config: { ...CONFIG_INPUT, registrationNumber: 'T8123456789012' } }))
      .thenThrows('settlement.registration_number_check_digit', 'invalid');
  });

  it('refuses a malformed configuration with the validator’s code, naming the field', () => {
    const error = spec
      .given([])
      .when(configure({ config: { ...CONFIG_INPUT, marginBasisPoints: 10_001 } }))
      .thenThrows('settlement.invalid_config', 'invalid');
    expect(error.details).toMatchObject({ field: 'marginBasisPoints' });
  });

  it('refuses a region identity does not serve (settlement.unknown_region)', () => {
    spec
      .given([])
      .when(configure({ officePrefecture: undefined }))
      .thenThrows('settlement.unknown_region', 'invalid');
  });

  it('refuses an office prefecture other than the region office’s in identity (its minimum wage binds)', () => {
    const error = spec
      .given([])
      .when(configure({ config: { ...CONFIG_INPUT, officePrefecture: 'tokyo' } }))
      .thenThrows('settlement.office_prefecture_mismatch', 'invalid');
    expect(error.details).toMatchObject({ field: 'officePrefecture', expected: 'akita' });
  });
});
