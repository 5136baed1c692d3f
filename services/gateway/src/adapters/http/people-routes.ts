import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRegionStaff, type Access } from '../../application/access.js';
import type { Upstreams } from '../grpc/upstreams.js';
import {
  businessesView,
  membersView,
  memberView,
  registerBusinessRequest,
  registerMemberRequest,
  roleRequest,
} from './people-views.js';
import { BEARER, callerOf, commandIdOf, settingsOf } from './requests.js';
import {
  businessesAnswer,
  grantRoleBody,
  idempotencyHeaders,
  memberIdParams,
  membersAnswer,
  NO_CONTENT,
  regionParams,
  registerBusinessAnswer,
  registerBusinessBody,
  registerMemberAnswer,
  registerMemberBody,
  responses,
  revokeRoleBody,
  userIdParams,
} from './schemas.js';

const REGION_STAFF: Access = ['operator', 'coordinator'];
const MEMBER_READERS: Access = ['member', 'coordinator', 'accountant', 'operator'];

/**
 * The region's people, from identity: members (their windows, skills, town, personal data when
 * identity includes it), roles and businesses. Identity authorises every call again (an
 * operator, a coordinator of the region; personal data by who asks); the gateway checks roles,
 * and that a coordinator names a region she runs.
 */
export const registerPeopleRoutes = (app: FastifyInstance, upstreams: Upstreams): void => {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { identity } = upstreams;

  api.post(
    '/v1/regions/:regionId/members',
    {
      config: { access: REGION_STAFF },
      schema: {
        operationId: 'registerMember',
        tags: ['people'],
        summary: 'Register a member of the region',
        description:
          'An operator, or a coordinator of the region: her town, office, contract type, skills, weekly windows, personal data (encrypted by identity with her own key) and first password. Answers 201 with her id and its Location.',
        security: BEARER,
        params: regionParams,
        headers: idempotencyHeaders,
        body: registerMemberBody,
        response: responses({ 201: registerMemberAnswer }),
      },
    },
    async (request, reply) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      const { memberId } = await identity.registerMember(
        registerMemberRequest(commandIdOf(request), request.params.regionId, request.body),
        settingsOf(request),
      );
      return reply
        .code(201)
        .header('location', `/v1/members/${encodeURIComponent(memberId)}`)
        .send({ memberId });
    },
  );

  api.get(
    '/v1/regions/:regionId/members',
    {
      config: { access: ['operator', 'coordinator', 'accountant'] },
      schema: {
        operationId: 'listMembers',
        tags: ['people'],
        summary: 'The members of a region, with their roles',
        description:
          'Its coordinators, operators and the accountant. Oldest registration first, without personal data (`personalDataStatus` `withheld`, or `forgotten`).',
        security: BEARER,
        params: regionParams,
        response: responses({ 200: membersAnswer }),
      },
    },
    async (request) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      return membersView(await identity.listMembers({ region: request.params.regionId }, settingsOf(request)));
    },
  );

  api.get(
    '/v1/members/:memberId',
    {
      config: { access: MEMBER_READERS },
      schema: {
        operationId: 'getMember',
        tags: ['people'],
        summary: 'A member’s profile: windows, skills, town; personal data when identity includes it',
        description:
          'She herself and operators read everything; a coordinator of her region her name and contact; the accountant her name, address and bank account. Anyone else is refused by identity.',
        security: BEARER,
        params: memberIdParams,
        response: responses({ 200: { $ref: 'Member#' } }),
      },
    },
    async (request) =>
      memberView((await identity.getMember({ memberId: request.params.memberId }, settingsOf(request))).member),
  );

  api.post(
    '/v1/users/:userId/roles',
    {
      config: { access: REGION_STAFF },
      schema: {
        operationId: 'grantRole',
        tags: ['people'],
        summary: 'Grant a role to a member or user',
        description:
          'As identity allows it (operators grant roles). A coordinator names her region (`regionId`), a business user her business (`businessId`); a reason is kept for the audit trail.',
        security: BEARER,
        params: userIdParams,
        headers: idempotencyHeaders,
        body: grantRoleBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await identity.grantRole(
        {
          requestId: commandIdOf(request),
          userId: request.params.userId,
          role: roleRequest(request.body),
          reason: request.body.reason,
        },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/users/:userId/roles/revoke',
    {
      config: { access: REGION_STAFF },
      schema: {
        operationId: 'revokeRole',
        tags: ['people'],
        summary: 'Revoke a role of a member or user',
        description: 'As identity allows it (operators revoke roles), with a reason for the audit trail.',
        security: BEARER,
        params: userIdParams,
        headers: idempotencyHeaders,
        body: revokeRoleBody,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await identity.revokeRole(
        {
          requestId: commandIdOf(request),
          userId: request.params.userId,
          role: roleRequest(request.body),
          reason: request.body.reason,
        },
        settingsOf(request),
      );
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/regions/:regionId/businesses',
    {
      config: { access: REGION_STAFF },
      schema: {
        operationId: 'registerBusiness',
        tags: ['people'],
        summary: 'Register a business the region’s cooperative serves',
        description:
          'An operator, or a coordinator of the region: its name, qualified-invoice registration number (`T` and 13 digits, checked by identity) and address. Answers 201 with its id.',
        security: BEARER,
        params: regionParams,
        headers: idempotencyHeaders,
        body: registerBusinessBody,
        response: responses({ 201: registerBusinessAnswer }),
      },
    },
    async (request, reply) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      const { businessId } = await identity.registerBusiness(
        registerBusinessRequest(commandIdOf(request), request.params.regionId, request.body),
        settingsOf(request),
      );
      return reply.code(201).send({ businessId });
    },
  );

  api.get(
    '/v1/regions/:regionId/businesses',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listBusinesses',
        tags: ['people'],
        summary: 'The businesses of a region',
        description: 'Any signed-in caller: businesses are public facts.',
        security: BEARER,
        params: regionParams,
        response: responses({ 200: businessesAnswer }),
      },
    },
    async (request) =>
      businessesView(await identity.listBusinesses({ region: request.params.regionId }, settingsOf(request))),
  );
};
