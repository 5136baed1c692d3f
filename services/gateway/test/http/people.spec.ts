/**
 * The region's people over HTTP, against the real identity: registering a member, reading her
 * profile, listing a region's members, granting and revoking roles, registering and listing
 * businesses; and who may call each route (operator, a coordinator of the region and of
 * another, a member, a business, the accountant, no token).
 */
import { randomUUID } from 'node:crypto';
import type { TestActor } from '@workshare/identity';
import { expectProblem, startHarness, type Harness } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const TOKYO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;

let serial = 0;
/** A member of fujisato as a coordinator registers her (a fresh email each time). */
const memberBody = (overrides: Record<string, unknown> = {}) => {
  serial += 1;
  return {
    townId: 'fujisato/fujikoto',
    officePrefecture: 'JP-05',
    contractType: 'contractor',
    skills: ['data entry', 'transcription'],
    windows: [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'thu', start: '13:00', end: '17:00' },
    ],
    personalData: {
      name: '藤里 花子',
      address: '秋田県山本郡藤里町藤琴1',
      email: `hanako-${serial}-${randomUUID().slice(0, 8)}@test.example`,
      bankAccount: {
        bankCode: '0001',
        branchCode: '001',
        accountType: 'ordinary',
        accountNumber: '1234567',
        holderNameKana: 'フジサト ハナコ',
      },
    },
    password: 'a-first-password-1',
    ...overrides,
  };
};

/** A registration number that passes identity's check digit (T + 13 digits; for a corporation, digit 1 checks the other 12). */
const registrationNumber = (): string => {
  const base = Array.from({ length: 12 }, () => Math.floor(Math.random() * 10)).join('');
  let sum = 0;
  for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return `T${9 - (sum % 9)}${base}`;
};

const register = async (as: TestActor, body: Record<string, unknown> = memberBody(), region = 'fujisato') =>
  h.call('POST', `/v1/regions/${region}/members`, { as, body });

describe('members', () => {
  it('POST /v1/regions/{regionId}/members (a coordinator of the region): 201 with her id and Location; she can log in', async () => {
    const body = memberBody();
    const response = await register(h.coop.coordinator, body);
    expect(response.statusCode).toBe(201);
    const { memberId } = response.json() as { memberId: string };
    expect(response.headers.location).toBe(`/v1/members/${memberId}`);
    const login = await h.call('POST', '/v1/auth/login', {
      body: { email: body.personalData.email, password: body.password },
    });
    expect(login.statusCode).toBe(200);
    expect((login.json() as { caller: { subject: string } }).caller.subject).toBe(memberId);
  });

  it('an Idempotency-Key: a retried registration is answered with the first member', async () => {
    const body = memberBody();
    const headers = { 'idempotency-key': `register-${randomUUID()}` };
    const first = await h.call('POST', '/v1/regions/fujisato/members', { as: h.coop.operator, body, headers });
    const again = await h.call('POST', '/v1/regions/fujisato/members', { as: h.coop.operator, body, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
  });

  it('GET /v1/members/{memberId}: windows, skills, town; personal data as identity includes it for the caller', async () => {
    const body = memberBody();
    const { memberId } = (await register(h.coop.coordinator, body)).json() as { memberId: string };

    const asOperator = await h.call('GET', `/v1/members/${memberId}`, { as: h.coop.operator });
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.json()).toEqual({
      memberId,
      regionId: 'fujisato',
      townId: 'fujisato/fujikoto',
      officePrefecture: 'JP-05',
      contractType: 'contractor',
      skills: ['data entry', 'transcription'],
      windows: body.windows,
      status: 'active',
      registeredAt: expect.stringMatching(TOKYO_TIME),
      personalDataStatus: 'included',
      personalData: {
        name: body.personalData.name,
        address: body.personalData.address,
        email: body.personalData.email,
        bankAccount: body.personalData.bankAccount,
      },
    });

    // Her region's coordinator: name and contact, not her bank account.
    const asCoordinator = (await h.call('GET', `/v1/members/${memberId}`, { as: h.coop.coordinator })).json() as {
      personalData: Record<string, unknown> | null;
      windows: unknown;
    };
    expect(asCoordinator.windows).toEqual(body.windows);
    expect(asCoordinator.personalData).toMatchObject({ name: body.personalData.name, bankAccount: null });

    // Another member: identity refuses; a business never reaches it.
    expectProblem(await h.call('GET', `/v1/members/${memberId}`, { as: h.coop.member }), 403, 'member.forbidden');
    expectProblem(await h.call('GET', `/v1/members/${memberId}`, { as: h.coop.business }), 403, 'auth.forbidden_role');
    expectProblem(await h.call('GET', `/v1/members/${memberId}`), 401, 'auth.token_missing');
  });

  it('GET /v1/regions/{regionId}/members: the region’s members with their roles, without personal data', async () => {
    const { memberId } = (await register(h.coop.coordinator)).json() as { memberId: string };
    const response = await h.call('GET', '/v1/regions/fujisato/members', { as: h.coop.coordinator });
    expect(response.statusCode).toBe(200);
    const { members } = response.json() as {
      members: { member: { memberId: string; personalData: unknown; personalDataStatus: string }; roles: unknown[] }[];
    };
    const listed = members.find((m) => m.member.memberId === memberId);
    expect(listed?.roles).toEqual([{ role: 'member' }]);
    expect(members.find((m) => m.member.memberId === h.coop.coordinator.id)?.roles).toEqual(
      expect.arrayContaining([{ role: 'coordinator', region: 'fujisato' }]),
    );
    for (const m of members) {
      expect(m.member.personalData).toBeNull();
      expect(m.member.personalDataStatus).not.toBe('included');
    }
    expect(members.some((m) => m.member.memberId === h.coop.setagayaCoordinator.id)).toBe(false);
  });

  it('a body of the wrong region or shape: 400 before identity is asked', async () => {
    expectProblem(
      await register(h.coop.coordinator, memberBody({ townId: 'setagaya/sangenjaya' })),
      400,
      'request.invalid',
    );
    expectProblem(
      await register(h.coop.coordinator, memberBody({ windows: [{ day: 'funday', start: '9', end: '12:00' }] })),
      400,
      'request.invalid',
    );
    expectProblem(await register(h.coop.coordinator, memberBody({ password: 'short' })), 400, 'request.invalid');
    expectProblem(
      await register(h.coop.coordinator, memberBody({ skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`) })),
      400,
      'request.invalid',
    );
  });
});

describe('roles', () => {
  it('POST /v1/users/{userId}/roles and /roles/revoke (an operator): the role is granted, then revoked', async () => {
    const { memberId } = (await register(h.coop.coordinator)).json() as { memberId: string };
    const role = { role: 'coordinator', regionId: 'fujisato', reason: 'takes over coordination in spring' };
    const granted = await h.call('POST', `/v1/users/${memberId}/roles`, { as: h.coop.operator, body: role });
    expect(granted.statusCode).toBe(204);
    const rolesOf = async () =>
      (
        (await h.call('GET', '/v1/regions/fujisato/members', { as: h.coop.operator })).json() as {
          members: { member: { memberId: string }; roles: unknown[] }[];
        }
      ).members.find((m) => m.member.memberId === memberId)?.roles;
    expect(await rolesOf()).toEqual(expect.arrayContaining([{ role: 'coordinator', region: 'fujisato' }]));

    const revoked = await h.call('POST', `/v1/users/${memberId}/roles/revoke`, {
      as: h.coop.operator,
      body: { ...role, reason: 'moved away' },
    });
    expect(revoked.statusCode).toBe(204);
    expect(await rolesOf()).toEqual([{ role: 'member' }]);
  });

  it('a coordinator without a region, a region for a role that has none, a member role: 400', async () => {
    const userId = randomUUID();
    for (const body of [
      { role: 'coordinator', reason: 'x' },
      { role: 'accountant', regionId: 'fujisato', reason: 'x' },
      { role: 'business', reason: 'x' },
      { role: 'member', reason: 'x' },
      { role: 'accountant' },
    ])
      expectProblem(
        await h.call('POST', `/v1/users/${userId}/roles`, { as: h.coop.operator, body }),
        400,
        'request.invalid',
      );
  });
});

describe('businesses', () => {
  it('POST /v1/regions/{regionId}/businesses (a coordinator of the region): 201; GET lists it', async () => {
    const body = { name: '藤里観光協会', registrationNumber: registrationNumber(), address: '秋田県山本郡藤里町藤琴2' };
    const response = await h.call('POST', '/v1/regions/fujisato/businesses', { as: h.coop.coordinator, body });
    expect(response.statusCode).toBe(201);
    const { businessId } = response.json() as { businessId: string };
    const list = await h.call('GET', '/v1/regions/fujisato/businesses', { as: h.coop.business });
    expect(list.statusCode).toBe(200);
    const { businesses } = list.json() as { businesses: Record<string, unknown>[] };
    expect(businesses).toEqual(expect.arrayContaining([{ businessId, regionId: 'fujisato', ...body }]));
    expect(businesses.every((b) => b.regionId === 'fujisato')).toBe(true);
  });

  it('a registration number that is not T and 13 digits: 400 before identity is asked; a wrong check digit: identity’s 400', async () => {
    expectProblem(
      await h.call('POST', '/v1/regions/fujisato/businesses', {
        as: h.coop.coordinator,
        body: { name: 'x', registrationNumber: '1234567890123', address: 'y' },
      }),
      400,
      'request.invalid',
    );
    const wrongDigit = registrationNumber().replace(/^T(\d)/, (_m, d: string) => `T${(Number(d) % 9) + 1}`);
    const answer = await h.call('POST', '/v1/regions/fujisato/businesses', {
      as: h.coop.coordinator,
      body: { name: 'x', registrationNumber: wrongDigit, address: 'y' },
    });
    expectProblem(answer, 400, 'business.registration_number_check_digit');
  });
});

// ---- who may call what ---------------------------------------------------------------------------

type Who = 'operator' | 'coordinator' | 'setagayaCoordinator' | 'member' | 'business' | 'accountant' | 'nobody';
const EVERYONE: readonly Who[] = [
  'operator',
  'coordinator',
  'setagayaCoordinator',
  'member',
  'business',
  'accountant',
  'nobody',
];

interface Case {
  readonly name: string;
  send(as: TestActor | undefined): Promise<{ statusCode: number; json(): unknown }>;
  /** The status each caller gets (and, for refusals, the code where the edge decides it). */
  readonly expect: Readonly<Record<Who, number | [number, string]>>;
}

const ROLE = [403, 'auth.forbidden_role'] as [number, string];
const REGION = [403, 'auth.forbidden_region'] as [number, string];
const NO_TOKEN = [401, 'auth.token_missing'] as [number, string];

const CASES: readonly Case[] = [
  {
    name: 'POST /v1/regions/{regionId}/members',
    send: (as) => h.call('POST', '/v1/regions/fujisato/members', { ...(as ? { as } : {}), body: memberBody() }),
    expect: {
      operator: 201,
      coordinator: 201,
      setagayaCoordinator: REGION,
      member: ROLE,
      business: ROLE,
      accountant: ROLE,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'GET /v1/regions/{regionId}/members',
    send: (as) => h.call('GET', '/v1/regions/fujisato/members', as ? { as } : {}),
    expect: {
      operator: 200,
      coordinator: 200,
      setagayaCoordinator: REGION,
      member: ROLE,
      business: ROLE,
      accountant: 200,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'GET /v1/members/{memberId} (a member of fujisato)',
    send: (as) => h.call('GET', `/v1/members/${h.coop.member.id}`, as ? { as } : {}),
    expect: {
      operator: 200,
      coordinator: 200,
      setagayaCoordinator: [403, 'member.forbidden'],
      member: 200,
      business: ROLE,
      accountant: 200,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'POST /v1/users/{userId}/roles',
    send: async (as) => {
      const { memberId } = (await register(h.coop.operator)).json() as { memberId: string };
      return h.call('POST', `/v1/users/${memberId}/roles`, {
        ...(as ? { as } : {}),
        body: { role: 'accountant', reason: 'helps with the books' },
      });
    },
    expect: {
      operator: 204,
      // Identity's rule: operators grant and revoke roles.
      coordinator: [403, 'role.forbidden'],
      setagayaCoordinator: [403, 'role.forbidden'],
      member: ROLE,
      business: ROLE,
      accountant: ROLE,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'POST /v1/users/{userId}/roles/revoke',
    send: async (as) => {
      const { memberId } = (await register(h.coop.operator)).json() as { memberId: string };
      const role = { role: 'accountant', reason: 'helps with the books' };
      const granted = await h.call('POST', `/v1/users/${memberId}/roles`, { as: h.coop.operator, body: role });
      expect(granted.statusCode).toBe(204);
      return h.call('POST', `/v1/users/${memberId}/roles/revoke`, {
        ...(as ? { as } : {}),
        body: { ...role, reason: 'done' },
      });
    },
    expect: {
      operator: 204,
      // Identity's rule: operators grant and revoke roles.
      coordinator: [403, 'role.forbidden'],
      setagayaCoordinator: [403, 'role.forbidden'],
      member: ROLE,
      business: ROLE,
      accountant: ROLE,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'POST /v1/regions/{regionId}/businesses',
    send: (as) =>
      h.call('POST', '/v1/regions/fujisato/businesses', {
        ...(as ? { as } : {}),
        body: { name: `商店 ${randomUUID().slice(0, 6)}`, registrationNumber: registrationNumber(), address: '藤琴3' },
      }),
    expect: {
      operator: 201,
      coordinator: 201,
      setagayaCoordinator: REGION,
      member: ROLE,
      business: ROLE,
      accountant: ROLE,
      nobody: NO_TOKEN,
    },
  },
  {
    name: 'GET /v1/regions/{regionId}/businesses',
    send: (as) => h.call('GET', '/v1/regions/fujisato/businesses', as ? { as } : {}),
    expect: {
      operator: 200,
      coordinator: 200,
      setagayaCoordinator: 200,
      member: 200,
      business: 200,
      accountant: 200,
      nobody: NO_TOKEN,
    },
  },
];

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it.each(EVERYONE.map((who) => [who, c.expect[who]] as const))('as %s: %j', async (who, expected) => {
    const response = await c.send(who === 'nobody' ? undefined : h.coop[who]);
    if (Array.isArray(expected)) expectProblem(response as never, expected[0], expected[1]);
    else
      expect({ status: response.statusCode, body: response.statusCode === 204 ? null : response.json() }).toMatchObject(
        {
          status: expected,
        },
      );
  });
});
