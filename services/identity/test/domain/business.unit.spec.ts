import { DeciderSpecification, fold } from '@workshare/eventsourcing';
import {
  businessDecider,
  businessRegistration,
  type BusinessEvent,
  type RegisterBusiness,
} from '../../src/domain/business.js';
import { accountant, anotherMember, fujisatoCoordinator, operator, setagayaCoordinator } from './fixtures.js';

const spec = DeciderSpecification.for(businessDecider);
const ID = '01900000-0000-7000-8000-00000000b001';
// The National Tax Agency's own corporate number: check digit 7 over 000012050002.
const NTA = 'T7000012050002';

const register = (overrides: Partial<RegisterBusiness> = {}): RegisterBusiness => ({
  type: 'RegisterBusiness',
  businessId: ID,
  name: '白神ウッドワークス株式会社',
  registrationNumber: NTA,
  entityType: 'corporation',
  regionId: 'fujisato',
  by: operator,
  ...overrides,
});

const registered = (
  overrides: Partial<Extract<BusinessEvent, { type: 'BusinessRegistered' }>['data']> = {},
): BusinessEvent => ({
  type: 'BusinessRegistered',
  data: {
    businessId: ID,
    name: '白神ウッドワークス株式会社',
    registrationNumber: NTA,
    entityType: 'corporation',
    regionId: 'fujisato',
    registeredBy: operator.id,
    ...overrides,
  },
});

describe('business decider', () => {
  describe('RegisterBusiness', () => {
    it('registers a corporation with a valid registration number, by an operator', () => {
      spec.given([]).when(register()).then([registered()]);
    });

    it('lets a coordinator register a business of her region', () => {
      spec
        .given([])
        .when(register({ by: fujisatoCoordinator }))
        .then([registered({ registeredBy: fujisatoCoordinator.id })]);
    });

    it('normalises the number as people write it (lower-case t, hyphens, full-width digits) and the name', () => {
      spec
        .given([])
        .when(register({ registrationNumber: 't7-0000-1205-0002', name: '  白神ウッドワークス株式会社 ' }))
        .then([registered()]);
      spec
        .given([])
        .when(register({ registrationNumber: 'Ｔ７０００0１２０５０００２' }))
        .then([registered()]);
    });

    it('checks only the form of a sole proprietor’s number (it carries no check digit to verify)', () => {
      spec
        .given([])
        .when(register({ entityType: 'sole_proprietor', registrationNumber: 'T1234567890123', name: 'ふじさと写真室' }))
        .then([
          registered({ entityType: 'sole_proprietor', registrationNumber: 'T1234567890123', name: 'ふじさと写真室' }),
        ]);
    });

    it('refuses an id already registered', () => {
      spec.given([registered()]).when(register()).thenThrows('business.already_registered', 'rule');
    });

    it('refuses an unknown region', () => {
      spec
        .given([])
        .when(register({ regionId: 'osaka' }))
        .thenThrows('region.unknown', 'invalid');
    });

    it.each([
      ['a coordinator of another region', setagayaCoordinator],
      ['the accountant', accountant],
      ['a member', anotherMember],
    ])('refuses registration by %s', (_who, by) => {
      spec.given([]).when(register({ by })).thenThrows('business.forbidden', 'forbidden');
    });

    it('refuses a business without a name', () => {
      spec
        .given([])
        .when(register({ name: '   ' }))
        .thenThrows('business.name_required', 'invalid');
    });

    it('refuses a name longer than 200 characters', () => {
      spec
        .given([])
        .when(register({ name: '株'.repeat(201) }))
        .thenThrows('business.name_too_long', 'invalid');
    });

    it('refuses an unknown entity type', () => {
      spec
        .given([])
        .when(register({ entityType: 'partnership' as never }))
        .thenThrows('business.invalid_entity_type', 'invalid');
    });

    it.each([
      ['without the T', '7000012050002'],
      ['with 12 digits', 'T700001205000'],
      ['with 14 digits', 'T70000120500021'],
      ['with a letter among the digits', 'T70000120500O2'],
      ['empty', ''],
    ])('refuses a malformed registration number (%s)', (_what, registrationNumber) => {
      spec
        .given([])
        .when(register({ registrationNumber }))
        .thenThrows('business.registration_number_malformed', 'invalid');
    });

    it('keeps a corporation’s address, normalised, and leaves it out when empty', () => {
      spec
        .given([])
        .when(register({ address: '  秋田県山本郡藤里町藤琴　字藤琴 1 ' }))
        .then([registered({ address: '秋田県山本郡藤里町藤琴 字藤琴 1' })]);
      spec
        .given([])
        .when(register({ address: '  ' }))
        .then([registered()]);
    });

    it('refuses a sole proprietor’s address: it is personal data, never kept in clear', () => {
      spec
        .given([])
        .when(
          register({
            entityType: 'sole_proprietor',
            registrationNumber: 'T1234567890123',
            address: '秋田県山本郡藤里町粕毛 1',
          }),
        )
        .thenThrows('business.address_is_personal_data', 'invalid');
    });

    it('refuses an address longer than 300 characters, or one that is not text', () => {
      spec
        .given([])
        .when(register({ address: '町'.repeat(301) }))
        .thenThrows('business.address_too_long', 'invalid');
      spec
        .given([])
        .when(register({ address: 42 as never }))
        .thenThrows('business.invalid_address', 'invalid');
    });

    it('refuses a corporation whose check digit does not match', () => {
      spec
        .given([])
        .when(register({ registrationNumber: 'T6000012050002' }))
        .thenThrows('business.registration_number_check_digit', 'invalid');
    });
  });
});

describe('a business registration in two parts (the registration workflow)', () => {
  it('decides at once what the decider decides, and its decision appends it on a fresh stream', () => {
    const { registered: event, decision } = businessRegistration(register());
    expect(event).toEqual(registered());
    expect(decision(businessDecider.initialState())).toEqual(
      businessDecider.decide(register(), businessDecider.initialState()),
    );
  });

  it('refuses at once (before its number is reserved), and its decision refuses a registered stream', () => {
    expect(() => businessRegistration(register({ by: setagayaCoordinator }))).toThrow(
      expect.objectContaining({ code: 'business.forbidden', kind: 'forbidden' }),
    );
    expect(() => businessRegistration(register({ registrationNumber: 'T1234' }))).toThrow(
      expect.objectContaining({ code: 'business.registration_number_malformed' }),
    );
    const { decision } = businessRegistration(register());
    expect(() => decision(fold(businessDecider, [registered()]))).toThrow(
      expect.objectContaining({ code: 'business.already_registered', kind: 'rule' }),
    );
  });

  it.each([
    ['a NUL in its name', { name: '白神\u0000ウッドワークス' }],
    ['a lone surrogate in its name', { name: '白神\ud800' }],
    ['a NUL in its address', { address: '藤里町\u0000藤琴 1' }],
  ])('refuses %s: text.invalid_characters', (_what, overrides) => {
    spec.given([]).when(register(overrides)).thenThrows('text.invalid_characters', 'invalid');
  });
});
