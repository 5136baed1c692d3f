import {
  assertStorableText,
  characterCount,
  DomainError,
  ForbiddenError,
  managesRegion,
  ValidationError,
  type Actor,
  type Decider,
  type Decision,
  type DomainEvent,
} from '@workshare/eventsourcing';
import { requireRegion } from './regions.js';
import { ENTITY_TYPES, parseRegistrationNumber, type EntityType } from './registration-number.js';

/**
 * A business (地域事業者): a client organisation of a region that hands work to the
 * cooperative, with its qualified-invoice registration number (stream `business-<id>`).
 */
export const MAX_BUSINESS_NAME = 200;
export const MAX_BUSINESS_ADDRESS = 300;

export type BusinessRegistered = DomainEvent<
  'BusinessRegistered',
  {
    businessId: string;
    name: string;
    registrationNumber: string;
    entityType: EntityType;
    regionId: string;
    /** A corporation's registered address (public, like its registration number); absent when not given. */
    address?: string;
    registeredBy: string;
  }
>;
export type BusinessEvent = BusinessRegistered;

export type RegisterBusiness = {
  readonly type: 'RegisterBusiness';
  readonly businessId: string;
  readonly name: string;
  readonly registrationNumber: string;
  readonly entityType: EntityType;
  readonly regionId: string;
  /** A corporation's address (optional). A sole proprietor's address is personal data: refused here. */
  readonly address?: string;
  readonly by: Actor;
};
export type BusinessCommand = RegisterBusiness;

export type BusinessState =
  | { readonly status: 'unregistered' }
  | {
      readonly status: 'registered';
      readonly id: string;
      readonly name: string;
      readonly registrationNumber: string;
      readonly entityType: EntityType;
      readonly regionId: string;
      readonly address: string | undefined;
    };

const parseEntityType = (value: unknown): EntityType => {
  if (!ENTITY_TYPES.includes(value as EntityType)) {
    throw new ValidationError(
      'business.invalid_entity_type',
      'a business is a "corporation" (法人) or a "sole_proprietor" (個人事業者)',
    );
  }
  return value as EntityType;
};

const parseBusinessName = (value: unknown): string => {
  if (typeof value === 'string') assertStorableText(value, 'name');
  const name = typeof value === 'string' ? value.normalize('NFKC').replace(/\s+/g, ' ').trim() : '';
  if (name === '') throw new ValidationError('business.name_required', 'a business needs a name');
  if (characterCount(name, MAX_BUSINESS_NAME) > MAX_BUSINESS_NAME)
    throw new ValidationError('business.name_too_long', `a business name has at most ${MAX_BUSINESS_NAME} characters`);
  return name;
};

/**
 * A corporation's address, normalised; undefined when none is given. A sole proprietor's
 * address is where a person lives (personal data, APPI): it never enters a clear-text event.
 */
const parseBusinessAddress = (value: unknown, entityType: EntityType): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') assertStorableText(value, 'address');
  const address = typeof value === 'string' ? value.normalize('NFKC').replace(/\s+/g, ' ').trim() : undefined;
  if (address === undefined) throw new ValidationError('business.invalid_address', 'a business address is text');
  if (address === '') return undefined;
  if (characterCount(address, MAX_BUSINESS_ADDRESS) > MAX_BUSINESS_ADDRESS)
    throw new ValidationError(
      'business.address_too_long',
      `a business address has at most ${MAX_BUSINESS_ADDRESS} characters`,
    );
  if (entityType === 'sole_proprietor') {
    throw new ValidationError(
      'business.address_is_personal_data',
      'a sole proprietor’s address is personal data: it is not kept with the business (leave it out)',
    );
  }
  return address;
};

/**
 * A business's registration as the command asks for it, decided without its stream: who may
 * register it (an operator, a coordinator of its region), its name, entity type, registration
 * number and address. Refused with the rule's error.
 */
export const businessRegistered = (command: RegisterBusiness): BusinessRegistered => {
  const region = requireRegion(command.regionId);
  if (!managesRegion(command.by, region.id)) {
    throw new ForbiddenError(
      'business.forbidden',
      `only an operator or a coordinator of ${region.id} registers its businesses`,
    );
  }
  const name = parseBusinessName(command.name);
  const entityType = parseEntityType(command.entityType);
  const registrationNumber = parseRegistrationNumber(command.registrationNumber, entityType);
  const address = parseBusinessAddress(command.address, entityType);
  return {
    type: 'BusinessRegistered',
    data: {
      businessId: command.businessId,
      name,
      registrationNumber,
      entityType,
      regionId: region.id,
      ...(address !== undefined ? { address } : {}),
      registeredBy: command.by.id,
    },
  };
};

const freshStream = (command: RegisterBusiness, state: BusinessState): void => {
  if (state.status !== 'unregistered')
    throw new DomainError(
      'business.already_registered',
      `business ${command.businessId} is already registered`,
      'rule',
    );
};

/**
 * A registration in two parts, for the registration workflow: decided at once (refused here,
 * before its registration number is reserved), then applied on the business's stream, which
 * must be fresh. The decider's RegisterBusiness is the same rules.
 */
export const businessRegistration = (
  command: RegisterBusiness,
): { readonly registered: BusinessRegistered; readonly decision: Decision<BusinessEvent, BusinessState> } => {
  const registered = businessRegistered(command);
  return {
    registered,
    decision: (state) => {
      freshStream(command, state);
      return [registered];
    },
  };
};

export const decideBusiness = (command: BusinessCommand, state: BusinessState): BusinessEvent[] => {
  switch (command.type) {
    case 'RegisterBusiness':
      freshStream(command, state);
      return [businessRegistered(command)];
  }
};

export const evolveBusiness = (state: BusinessState, event: BusinessEvent): BusinessState => {
  switch (event.type) {
    case 'BusinessRegistered': {
      const d = event.data;
      return {
        status: 'registered',
        id: d.businessId,
        name: d.name,
        registrationNumber: d.registrationNumber,
        entityType: d.entityType,
        regionId: d.regionId,
        address: d.address,
      };
    }
  }
};

export const businessDecider: Decider<BusinessCommand, BusinessEvent, BusinessState> = {
  decide: decideBusiness,
  evolve: evolveBusiness,
  initialState: () => ({ status: 'unregistered' }),
};

export const businessStream = (businessId: string): string => `business-${businessId}`;
