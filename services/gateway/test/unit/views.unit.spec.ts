import { jobIntakeV1, taskDecompositionV1, teamSchedulingV1 } from '@workshare/proto';
import {
  declareUnavailableRequest,
  historyView,
  jobView,
  listJobsRequest,
  memberScheduleRequest,
  planView,
  scheduledTaskView,
  submitJobRequest,
} from '../../src/adapters/http/views.js';

const job = (overrides: Partial<jobIntakeV1.Job> = {}): jobIntakeV1.Job => ({
  jobId: 'j1',
  businessId: 'b1',
  title: 't',
  description: 'd',
  workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_PROOFREADING,
  pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_HOURLY, hourlyRate: { yen: '1800' } },
  amount: { yen: '90000' },
  deadline: new Date('2026-06-30T14:59:59Z'),
  regionId: 'setagaya',
  localOnlyTownId: '',
  skills: ['proofreading'],
  status: jobIntakeV1.JobStatus.JOB_STATUS_IN_PROGRESS,
  quote: undefined,
  terms: undefined,
  inspections: [],
  reason: '',
  submittedAt: new Date('2026-06-01T00:00:00Z'),
  updatedAt: new Date('2026-06-02T00:00:00Z'),
  version: '4',
  ...overrides,
});

describe('proto messages in the API’s words', () => {
  it('a job: snake enums, yen as numbers, Tokyo times, empty strings as null', () => {
    expect(jobView(job())).toEqual({
      jobId: 'j1',
      businessId: 'b1',
      title: 't',
      description: 'd',
      workCategory: 'proofreading',
      pricing: { kind: 'hourly', hourlyRateYen: 1800 },
      amountYen: 90_000,
      deadline: '2026-06-30T23:59:59.000+09:00',
      regionId: 'setagaya',
      localOnlyTownId: null,
      skills: ['proofreading'],
      status: 'in_progress',
      quote: null,
      terms: null,
      inspections: [],
      reason: null,
      submittedAt: '2026-06-01T09:00:00.000+09:00',
      updatedAt: '2026-06-02T09:00:00.000+09:00',
      version: 4,
    });
  });

  it('a service breaking its contract is an error, never a guess: unknown status, missing time, yen beyond JSON', () => {
    expect(() => jobView(job({ status: 42 as jobIntakeV1.JobStatus }))).toThrow(/unknown job status/);
    expect(() => jobView(job({ status: jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED }))).toThrow(/unknown job status/);
    expect(() => jobView(job({ deadline: undefined }))).toThrow(/no deadline/);
    expect(() => jobView(job({ amount: { yen: '9007199254740993' } }))).toThrow(/does not fit/);
  });

  it('a submission: names to enums, yen to int64 strings, an absent town as empty', () => {
    const request = submitJobRequest('r1', {
      businessId: 'b1',
      title: 't',
      description: '',
      workCategory: 'illustration',
      pricing: { kind: 'fixed_price' },
      amountYen: 250_000,
      deadline: '2026-07-01T00:00:00+09:00',
      regionId: 'chofu',
      skills: [],
    });
    expect(request).toMatchObject({
      requestId: 'r1',
      workCategory: jobIntakeV1.WorkCategory.WORK_CATEGORY_ILLUSTRATION,
      pricing: { kind: jobIntakeV1.PricingKind.PRICING_KIND_FIXED_PRICE, hourlyRate: undefined },
      amount: { yen: '250000' },
      deadline: new Date('2026-06-30T15:00:00Z'),
      localOnlyTownId: '',
    });
  });

  it('list filters left out are the proto defaults (no filter)', () => {
    expect(listJobsRequest({})).toEqual({
      page: { pageSize: 0, pageToken: '' },
      regionId: '',
      businessId: '',
      status: jobIntakeV1.JobStatus.JOB_STATUS_UNSPECIFIED,
    });
    expect(listJobsRequest({ status: 'delivered', pageSize: 20 }).status).toBe(
      jobIntakeV1.JobStatus.JOB_STATUS_DELIVERED,
    );
  });

  it('a cancelled plan says why', () => {
    const plan = planView({
      jobId: 'j1',
      regionId: 'fujisato',
      localOnlyTownId: 'fujisato/tara',
      status: taskDecompositionV1.PlanStatus.PLAN_STATUS_CANCELLED,
      tasks: [],
      round: 1,
      jobEstimatedMinutes: 120,
      jobDeadline: new Date('2026-06-30T15:00:00Z'),
      maxTaskMinutes: 120,
      reworkReason: '',
      cancelReason: 'the business closed',
      version: '3',
    });
    expect(plan).toMatchObject({
      status: 'cancelled',
      cancelReason: 'the business closed',
      reworkReason: null,
      localOnlyTownId: 'fujisato/tara',
      jobDeadline: '2026-07-01T00:00:00.000+09:00',
      version: 3,
    });
  });
});

const scheduled = (overrides: Partial<teamSchedulingV1.ScheduledTask> = {}): teamSchedulingV1.ScheduledTask => ({
  taskId: 't1',
  jobId: 'j1',
  title: 'Sort',
  estimatedMinutes: 40,
  skills: ['data entry'],
  dependsOn: [],
  deadline: new Date('2026-06-30T14:59:59Z'),
  status: teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED,
  memberId: 'm1',
  span: { start: new Date('2026-06-01T04:00:00Z'), end: new Date('2026-06-01T04:40:00Z') },
  reasons: [],
  traineeMemberId: '',
  teamRegionId: 'fujisato',
  ...overrides,
});

describe('schedules in the API’s words', () => {
  it('an assigned task: lowercase status, its span in Tokyo, empty strings as null', () => {
    expect(scheduledTaskView(scheduled())).toEqual({
      taskId: 't1',
      jobId: 'j1',
      title: 'Sort',
      estimatedMinutes: 40,
      skills: ['data entry'],
      dependsOn: [],
      deadline: '2026-06-30T23:59:59.000+09:00',
      status: 'assigned',
      memberId: 'm1',
      span: { start: '2026-06-01T13:00:00.000+09:00', end: '2026-06-01T13:40:00.000+09:00' },
      reasons: [],
      traineeMemberId: null,
      teamRegionId: 'fujisato',
    });
  });

  it('an unassignable task says why; a waiting one has no holder', () => {
    const reasons = [{ code: 'schedule.no_skill_in_town', message: 'nobody in fujisato/tara transcribes' }];
    const unassignable = scheduledTaskView(
      scheduled({
        status: teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNABLE,
        memberId: '',
        span: undefined,
        teamRegionId: '',
        reasons,
      }),
    );
    expect(unassignable).toMatchObject({
      status: 'unassignable',
      memberId: null,
      span: null,
      teamRegionId: null,
      reasons,
    });
    expect(
      scheduledTaskView(
        scheduled({
          status: teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_WAITING,
          memberId: '',
          span: undefined,
        }),
      ).status,
    ).toBe('waiting');
  });

  it('a service breaking its contract is an error, never a guess: unknown status, assigned without holder or span, half a span, unknown history kind', () => {
    expect(() =>
      scheduledTaskView(scheduled({ status: teamSchedulingV1.AssignmentStatus.ASSIGNMENT_STATUS_UNSPECIFIED })),
    ).toThrow(/unknown assignment status/);
    expect(() => scheduledTaskView(scheduled({ memberId: '' }))).toThrow(/without its member or span/);
    expect(() => scheduledTaskView(scheduled({ span: undefined }))).toThrow(/without its member or span/);
    expect(() => scheduledTaskView(scheduled({ span: { start: new Date(), end: undefined } }))).toThrow(/no span end/);
    expect(() => scheduledTaskView(scheduled({ deadline: undefined }))).toThrow(/no task deadline/);
    expect(() =>
      historyView({
        entries: [
          {
            kind: 'teleported',
            memberId: '',
            fromMemberId: '',
            actor: 'a',
            reason: '',
            progressNote: '',
            at: new Date(),
            span: undefined,
            reasons: [],
            reasonStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
            progressNoteStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
          },
        ],
      }),
    ).toThrow(/unknown history kind/);
  });

  it('a history entry: kind as given, who from whom, note and times in Tokyo', () => {
    const view = historyView({
      entries: [
        {
          kind: 'handed_off',
          memberId: 'm2',
          fromMemberId: 'm1',
          actor: 'm1',
          reason: 'sick child',
          progressNote: 'half done',
          at: new Date('2026-06-01T05:00:00Z'),
          span: undefined,
          reasons: [],
          reasonStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
          progressNoteStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
        },
        {
          kind: 'unassignable',
          memberId: '',
          fromMemberId: '',
          actor: 'system:team-scheduling',
          reason: 'schedule.no_skill_in_town',
          progressNote: '',
          at: new Date('2026-06-01T06:00:00Z'),
          span: undefined,
          reasons: [
            { code: 'schedule.no_skill_in_town', message: 'nobody in fujisato/fujikoto has the skill translation' },
          ],
          reasonStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
          progressNoteStatus: teamSchedulingV1.TextStatus.TEXT_STATUS_READABLE,
        },
      ],
    });
    expect(view).toEqual({
      entries: [
        {
          kind: 'handed_off',
          memberId: 'm2',
          fromMemberId: 'm1',
          actor: 'm1',
          reason: 'sick child',
          progressNote: 'half done',
          at: '2026-06-01T14:00:00.000+09:00',
          span: null,
          reasons: [],
        },
        {
          kind: 'unassignable',
          memberId: null,
          fromMemberId: null,
          actor: 'system:team-scheduling',
          reason: 'schedule.no_skill_in_town',
          progressNote: null,
          at: '2026-06-01T15:00:00.000+09:00',
          span: null,
          reasons: [
            { code: 'schedule.no_skill_in_town', message: 'nobody in fujisato/fujikoto has the skill translation' },
          ],
        },
      ],
    });
  });

  it('a member’s schedule: the Tokyo week of now by default; a period given is read as instants, to after from', () => {
    const now = new Date('2026-04-08T03:00:00Z');
    expect(memberScheduleRequest('m1', {}, now)).toEqual({
      memberId: 'm1',
      from: new Date('2026-04-05T15:00:00Z'),
      to: new Date('2026-04-12T15:00:00Z'),
    });
    expect(memberScheduleRequest('m1', { from: '2026-04-01T00:00:00+09:00', to: '2026-04-02T00:00:00Z' }, now)).toEqual(
      {
        memberId: 'm1',
        from: new Date('2026-03-31T15:00:00Z'),
        to: new Date('2026-04-02T00:00:00Z'),
      },
    );
    expect(() =>
      memberScheduleRequest('m1', { from: '2026-04-02T00:00:00Z', to: '2026-04-02T09:00:00+09:00' }, now),
    ).toThrow(
      expect.objectContaining({
        code: 'request.invalid',
        details: { errors: [{ field: 'querystring.to', message: 'must be after from' }] },
      }),
    );
  });

  it('an unavailability: instants, to after from', () => {
    expect(
      declareUnavailableRequest('r1', 'm1', {
        from: '2026-04-01T09:00:00+09:00',
        to: '2026-04-04T09:00:00+09:00',
        reason: 'sick child',
      }),
    ).toEqual({
      requestId: 'r1',
      memberId: 'm1',
      from: new Date('2026-04-01T00:00:00Z'),
      to: new Date('2026-04-04T00:00:00Z'),
      reason: 'sick child',
    });
    expect(() =>
      declareUnavailableRequest('r1', 'm1', { from: '2026-04-04T00:00:00Z', to: '2026-04-01T00:00:00Z', reason: 'x' }),
    ).toThrow(
      expect.objectContaining({
        code: 'request.invalid',
        details: { errors: [{ field: 'body.to', message: 'must be after from' }] },
      }),
    );
  });
});
