import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  requireRegionStaff,
  requireSelfOrAnyOf,
  requireSelfOrCoordinator,
  type Access,
} from '../../application/access.js';
import type { Upstreams } from '../grpc/upstreams.js';
import { BEARER, callerOf, commandIdOf, refuseBody, settingsOf } from './requests.js';
import {
  approvedTimeAnswer,
  approveWeekAnswer,
  correctEntryBody,
  deleteEntryBody,
  entryAnswer,
  entryParams,
  idempotencyHeaders,
  markDoneAnswer,
  memberIdParams,
  memberWeekParams,
  NO_CONTENT,
  recordSpanBody,
  regionMonthParams,
  reopenedAnswer,
  responses,
  startWorkAnswer,
  stopWorkAnswer,
  taskIdParams,
  weekQuery,
} from './schemas.js';
import {
  approvedTimeView,
  correctEntryRequest,
  recordSpanRequest,
  requireEntry,
  startWorkView,
  stopWorkView,
  weekView,
} from './time-views.js';
import { timeOf } from './views.js';

const SELF_OR_COORDINATOR: Access = ['member', 'coordinator'];
/** Who reads a member's week: she herself, a coordinator of her region, the accountant, operators (time tracking's GetWeek). */
const WEEK_READERS: Access = ['member', 'coordinator', 'accountant', 'operator'];
const WEEK_STAFF = ['coordinator', 'accountant', 'operator'] as const;
const REGION_TIME_READERS: Access = ['operator', 'accountant', 'coordinator'];

/**
 * The routes of time tracking: a member's timer and the spans she enters afterwards, on the tasks
 * she held (team scheduling's published assignments say so); corrections and deletions with a
 * reason; a task marked done; her Tokyo week; a coordinator's approval of it; a region's
 * approved time of a month. Time tracking authorises every call again (a coordinator's region,
 * the member herself); the gateway checks roles, that a member names herself, and that a
 * coordinator names a region she runs.
 */
export const registerTimeRoutes = (app: FastifyInstance, upstreams: Upstreams): void => {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { timeTracking } = upstreams;

  // ---- the caller's own time ---------------------------------------------------------------------

  api.post(
    '/v1/tasks/:taskId/timer',
    {
      config: { access: ['member'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'startWork',
        tags: ['time'],
        summary: 'Start work on a task: the caller’s timer',
        description:
          'A member starts her timer on a task she holds now (one timer at a time: `time.timer_running`). It starts at the request’s time rounded up to the whole minute. Takes no body.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        response: responses({ 200: startWorkAnswer }),
      },
    },
    async (request) =>
      startWorkView(
        request.params.taskId,
        await timeTracking.startWork(
          { requestId: commandIdOf(request), taskId: request.params.taskId },
          settingsOf(request),
        ),
      ),
  );

  api.post(
    '/v1/me/timer/stop',
    {
      config: { access: ['member'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'stopWork',
        tags: ['time'],
        summary: 'Stop work: the caller’s timer records an entry',
        description:
          'The whole minutes inside the timer (its stop rounded down): an entry, with the rules of a span entered afterwards. Less than one whole minute records nothing (`recorded: false`). A refused stop leaves the timer running (`time.no_timer` when none runs). Takes no body.',
        security: BEARER,
        headers: idempotencyHeaders,
        response: responses({ 200: stopWorkAnswer }),
      },
    },
    async (request) =>
      stopWorkView(await timeTracking.stopWork({ requestId: commandIdOf(request) }, settingsOf(request))),
  );

  api.post(
    '/v1/me/timer/discard',
    {
      config: { access: ['member'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'discardTimer',
        tags: ['time'],
        summary: 'Discard the caller’s running timer: nothing is recorded',
        description: 'Takes no body.',
        security: BEARER,
        headers: idempotencyHeaders,
        response: responses(NO_CONTENT),
      },
    },
    async (request, reply) => {
      await timeTracking.discardTimer({ requestId: commandIdOf(request) }, settingsOf(request));
      return reply.code(204).send();
    },
  );

  api.post(
    '/v1/tasks/:taskId/time-entries',
    {
      config: { access: ['member'] },
      schema: {
        operationId: 'recordSpan',
        tags: ['time'],
        summary: 'Record a span of work afterwards',
        description:
          'A member enters the time she worked on a task she held for the whole span. Answers 201 with the entry.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        body: recordSpanBody,
        response: responses({ 201: entryAnswer }),
      },
    },
    async (request, reply) => {
      const { entry } = await timeTracking.recordSpan(
        recordSpanRequest(commandIdOf(request), request.params.taskId, request.body),
        settingsOf(request),
      );
      return reply.code(201).send(requireEntry(entry));
    },
  );

  api.post(
    '/v1/tasks/:taskId/done',
    {
      config: { access: ['member'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'markTaskDone',
        tags: ['time'],
        summary: 'Mark a task done: the cooperative received her work',
        description:
          'A member marks a task she holds done, once (`time.already_done` names the first instant): that instant is when the cooperative received her work, day 1 of the 60 within which a contractor is paid (フリーランス法 §4). Takes no body.',
        security: BEARER,
        params: taskIdParams,
        headers: idempotencyHeaders,
        response: responses({ 200: markDoneAnswer }),
      },
    },
    async (request) => {
      const { at } = await timeTracking.markTaskDone(
        { requestId: commandIdOf(request), taskId: request.params.taskId },
        settingsOf(request),
      );
      return { taskId: request.params.taskId, at: timeOf(at, 'receipt time') };
    },
  );

  api.get(
    '/v1/me/week',
    {
      config: { access: ['member'] },
      schema: {
        operationId: 'getMyWeek',
        tags: ['time'],
        summary: 'The caller’s hours of a Tokyo week',
        description:
          'Her entries starting in the week (Monday to Sunday, Asia/Tokyo) with their times in +09:00, the minutes of each Tokyo day, the total, the week’s approval and her running timer. Without weekStart: the current Tokyo week.',
        security: BEARER,
        querystring: weekQuery,
        response: responses({ 200: { $ref: 'Week#' } }),
      },
    },
    async (request) =>
      weekView(
        (await timeTracking.getWeek({ memberId: '', weekStart: request.query.weekStart ?? '' }, settingsOf(request)))
          .week,
      ),
  );

  // ---- a member's time, for her coordinator --------------------------------------------------------

  api.get(
    '/v1/members/:memberId/week',
    {
      config: { access: WEEK_READERS },
      schema: {
        operationId: 'getMemberWeek',
        tags: ['time'],
        summary: 'A member’s hours of a Tokyo week',
        description:
          'The member herself, a coordinator of her region, the accountant, operators. As `GET /v1/me/week`; without weekStart, the current Tokyo week.',
        security: BEARER,
        params: memberIdParams,
        querystring: weekQuery,
        response: responses({ 200: { $ref: 'Week#' } }),
      },
    },
    async (request) => {
      requireSelfOrAnyOf(callerOf(request), request.params.memberId, WEEK_STAFF);
      return weekView(
        (
          await timeTracking.getWeek(
            { memberId: request.params.memberId, weekStart: request.query.weekStart ?? '' },
            settingsOf(request),
          )
        ).week,
      );
    },
  );

  api.post(
    '/v1/members/:memberId/time-entries/:entryId/correct',
    {
      config: { access: SELF_OR_COORDINATOR },
      schema: {
        operationId: 'correctTimeEntry',
        tags: ['time'],
        summary: 'Correct a time entry, with a reason',
        description:
          'The member herself, or a coordinator of her region. A correction is a new fact, never an edit: the new span follows the rules of a span entered afterwards (the entry itself not counted). An approved week it touches is reopened (`reopenedWeeks`).',
        security: BEARER,
        params: entryParams,
        headers: idempotencyHeaders,
        body: correctEntryBody,
        response: responses({ 200: reopenedAnswer }),
      },
    },
    async (request) => {
      requireSelfOrCoordinator(callerOf(request), request.params.memberId);
      const { reopenedWeeks } = await timeTracking.correctEntry(
        correctEntryRequest(commandIdOf(request), request.params.memberId, request.params.entryId, request.body),
        settingsOf(request),
      );
      return { reopenedWeeks };
    },
  );

  api.post(
    '/v1/members/:memberId/time-entries/:entryId/delete',
    {
      config: { access: SELF_OR_COORDINATOR },
      schema: {
        operationId: 'deleteTimeEntry',
        tags: ['time'],
        summary: 'Delete a time entry, with a reason',
        description:
          'The member herself, or a coordinator of her region. A deletion is a new fact: an approved week it was in is reopened (`reopenedWeeks`). An unknown or deleted entry is `time.entry_not_found`.',
        security: BEARER,
        params: entryParams,
        headers: idempotencyHeaders,
        body: deleteEntryBody,
        response: responses({ 200: reopenedAnswer }),
      },
    },
    async (request) => {
      requireSelfOrCoordinator(callerOf(request), request.params.memberId);
      const { reopenedWeeks } = await timeTracking.deleteEntry(
        {
          requestId: commandIdOf(request),
          memberId: request.params.memberId,
          entryId: request.params.entryId,
          reason: request.body.reason,
        },
        settingsOf(request),
      );
      return { reopenedWeeks };
    },
  );

  api.post(
    '/v1/members/:memberId/weeks/:weekStart/approve',
    {
      config: { access: ['coordinator'] },
      preValidation: refuseBody,
      schema: {
        operationId: 'approveWeek',
        tags: ['time'],
        summary: 'Approve a member’s Tokyo week: what pay uses',
        description:
          'A coordinator of her region, never for her own week, once the week is over (`time.week_not_over`), when it has time (`time.nothing_to_approve`) and no timer started in it still runs (`time.timer_running`). A week approved and unchanged since is answered `alreadyApproved` with nothing stored. Takes no body.',
        security: BEARER,
        params: memberWeekParams,
        headers: idempotencyHeaders,
        response: responses({ 200: approveWeekAnswer }),
      },
    },
    async (request) => {
      const { memberId, weekStart } = request.params;
      const answer = await timeTracking.approveWeek(
        { requestId: commandIdOf(request), memberId, weekStart },
        settingsOf(request),
      );
      return {
        memberId,
        weekStart,
        approvedEntries: answer.approvedEntries,
        alreadyApproved: answer.alreadyApproved,
      };
    },
  );

  api.get(
    '/v1/regions/:regionId/approved-time/:month',
    {
      config: { access: REGION_TIME_READERS },
      schema: {
        operationId: 'listApprovedTime',
        tags: ['time'],
        summary: 'The approved time of a region’s jobs in a Tokyo month',
        description:
          'Operators, the accountant, a coordinator of the region: every approved entry with minutes in the month (a span crossing midnight counts on each Tokyo day), each member’s minutes, the total.',
        security: BEARER,
        params: regionMonthParams,
        response: responses({ 200: approvedTimeAnswer }),
      },
    },
    async (request) => {
      requireRegionStaff(callerOf(request), request.params.regionId);
      return approvedTimeView(
        await timeTracking.listApprovedTime(
          { regionId: request.params.regionId, month: request.params.month },
          settingsOf(request),
        ),
      );
    },
  );
};
