import { REQUEST_ID_LIMIT } from '@workshare/grpc';
import * as contract from '../src/contract.js';
import { parseRegistrationNumber } from '../src/domain/registration-number.js';
import { IDENTITY_REQUEST_LIMITS as HOSTED } from '../src/adapters/grpc/identity-grpc.js';

describe("identity's published contract (@workshare/identity/contract)", () => {
  it('is the request limits the gRPC host applies, with the request id limit of every service', () => {
    expect(contract.IDENTITY_REQUEST_LIMITS).toBe(HOSTED);
    for (const fields of Object.values(contract.IDENTITY_REQUEST_LIMITS.fields)) {
      if ('requestId' in fields) expect(fields.requestId).toEqual(REQUEST_ID_LIMIT);
    }
    expect(contract.IDENTITY_REQUEST_LIMITS.fields.registerMember['personalData.name'].maxLength).toBe(
      contract.PERSONAL_DATA_LIMITS.name,
    );
  });

  it('names the grantable roles, contract types, entity types and weekdays', () => {
    expect(contract.GRANTABLE_ROLE_NAMES).toEqual(['coordinator', 'business', 'accountant', 'operator']);
    expect(contract.CONTRACT_TYPES).toEqual(['contractor', 'employee']);
    expect(contract.ENTITY_TYPES).toEqual(['corporation', 'sole_proprietor']);
    expect(contract.WEEKDAYS).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(contract.REGIONS.map((r) => r.id)).toEqual(['fujisato', 'setagaya', 'chofu']);
  });

  it('gives patterns a JSON schema can use: registration numbers as kept, availability times', () => {
    const number = new RegExp(contract.REGISTRATION_NUMBER_PATTERN);
    expect(number.test(parseRegistrationNumber('t7-0000-1205-0002', 'corporation'))).toBe(true);
    expect(number.test('7000012050002')).toBe(false);
    const start = new RegExp(contract.AVAILABILITY_START_PATTERN);
    const end = new RegExp(contract.AVAILABILITY_END_PATTERN);
    expect(['00:00', '09:30', '23:59'].every((t) => start.test(t))).toBe(true);
    expect(['24:00', '9:30', '23:60'].some((t) => start.test(t))).toBe(false);
    expect(['00:01', '24:00'].every((t) => end.test(t))).toBe(true);
    expect(end.test('24:01')).toBe(false);
  });

  it('is pure values: every export is data or a type, nothing that opens or connects', () => {
    for (const value of Object.values(contract)) expect(typeof value).not.toBe('function');
  });
});
