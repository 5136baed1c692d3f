/**
 * The stories on the embedded default (`npm start`'s platform: one process, embedded store and
 * bus, the demo cooperative and its past month seeded), through the gateway's HTTP API only. The
 * platform's clock is the system's (a PlatformClock) until the time story hands it to a
 * SimulatedClock that the story moves on (never back) to let a week end; the stories before it
 * run on the real time.
 */
import { DEMO_BUSINESS_USER_EMAIL, DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import {
  DEMO_CORRECTION_REASON,
  PlatformClock,
  SimulatedClock,
  startEmbeddedPlatform,
  systemClock,
  type EmbeddedPlatform,
} from '@workshare/launcher';
import { runAuditCliStory, runAuditStory, type AuditAccounts, type AuditFacts } from './support/audit-story.js';
import { apiAt, eventually, type Api } from './support/http.js';
import { runMonthCloseStory } from './support/month-close.js';
import { runTimeStory } from './support/time-story.js';
import { runBadInputMatrix, runHandOffStory, runIntakeStory, type DemoCredentials } from './support/story.js';

const demo: DemoCredentials = {
  password: 'e2e-demo-password',
  coordinatorEmail: DEMO_COORDINATOR_EMAIL,
  businessUserEmail: DEMO_BUSINESS_USER_EMAIL,
};
const ANY_PORT = {
  IDENTITY_PORT: '0',
  JOB_INTAKE_PORT: '0',
  TASK_DECOMPOSITION_PORT: '0',
  TEAM_SCHEDULING_PORT: '0',
  TIME_TRACKING_PORT: '0',
  SETTLEMENT_PORT: '0',
  AUDIT_PORT: '0',
  GATEWAY_PORT: '0',
};

/** The system's time, until the time story hands the platform a simulated clock. */
const platformClock = new PlatformClock(systemClock);
let platform: EmbeddedPlatform;
let api: Api;
const accountantEmail = () => platform.demo!.seed.accounts.find((a) => a.role === 'accountant')!.email;

beforeAll(async () => {
  platform = await startEmbeddedPlatform({
    storeUrl: 'embedded:memory',
    env: ANY_PORT,
    demo: { password: demo.password },
    now: platformClock.now,
  });
  api = apiAt(platform.gatewayUrl);
}, 240_000);
afterAll(async () => platform?.stop());

describe('embedded platform, through the HTTP API', () => {
  let jobId: string;

  it('seeds three demo jobs of Fujisato businesses, one of them local only', () => {
    const jobs = platform.demo?.jobs ?? [];
    expect(jobs).toHaveLength(3);
    expect(jobs[0]?.status).toMatch(/^(accepted|in_progress)$/);
    expect(jobs.slice(1).map((j) => j.status)).toEqual(['quoted', 'submitted']);
    expect(platform.demo?.handOff?.fromEmail).not.toBe(platform.demo?.handOff?.toEmail);
    expect(platform.demo?.handOff?.toEmail).toMatch(/@fujisato\.example$/);
  });

  it('the demo’s local-only job waits for its business: her own user sees only it, accepts the quote, and a plan is proposed', async () => {
    const maitake = await api.login(DEMO_BUSINESS_USER_EMAILS[1]!, demo.password);
    const listed = await api.request<{ jobs: { jobId: string; status: string; localOnlyTownId: string | null }[] }>(
      'GET',
      '/v1/jobs',
      { token: maitake },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.jobs).toEqual([
      expect.objectContaining({
        jobId: platform.demo?.jobs[1]?.jobId,
        status: 'quoted',
        localOnlyTownId: 'fujisato/fujikoto',
      }),
    ]);
    const jobId = listed.body.jobs[0]!.jobId;
    const accepted = await api.request<{ terms: { feeYen: number } }>('POST', `/v1/jobs/${jobId}/accept`, {
      token: maitake,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.terms.feeYen).toBe(36_000);
    const plan = await eventually('the proposed plan', async () => {
      const answer = await api.request<{ status: string; tasks: unknown[] }>('GET', `/v1/jobs/${jobId}/plan`, {
        token: maitake,
      });
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(plan).toMatchObject({ status: 'proposed' });
    expect(plan.tasks.length).toBeGreaterThan(0);
  });

  it('a business submits, a coordinator quotes, the business accepts, tasks are planned', async () => {
    ({ jobId } = await runIntakeStory(api, demo));
  });

  it('refuses bad input with problem+json and stores nothing', async () => {
    await runBadInputMatrix(api, demo, platform.store, jobId);
  });

  it('schedules the demo’s planned job; a member hands off; a teammate holds the task; the history shows both', async () => {
    const memberEmails = (platform.demo?.seed.accounts ?? [])
      .filter((a) => a.role.startsWith('member'))
      .map((a) => a.email);
    await runHandOffStory(api, demo, platform.demo!.jobs[0]!.jobId, memberEmails);
  });

  it('closes the demo’s past month in one call; the accountant’s files agree with each other and the summary to the yen; refusals store nothing', async () => {
    const month = platform.demo?.month;
    expect(month).toBeDefined();
    const { summary } = await runMonthCloseStory(
      api,
      {
        password: demo.password,
        coordinatorEmail: demo.coordinatorEmail,
        accountantEmail: accountantEmail(),
        memberEmails: month!.members.map((m) => m.email),
        businessUserEmails: DEMO_BUSINESS_USER_EMAILS,
      },
      { regionId: month!.regionId, month: month!.month, store: platform.store },
    );
    // The demo's month: its two jobs billed, every member who worked in it paid.
    expect(summary).toMatchObject({ invoiceCount: month!.jobs.length, statementCount: month!.members.length });
  });

  describe('the accountant’s questions of the demo’s closed month (audit)', () => {
    const accounts = (): AuditAccounts => ({
      password: demo.password,
      accountantEmail: accountantEmail(),
      coordinatorEmail: demo.coordinatorEmail,
      memberEmail: platform.demo!.month!.members[0]!.email,
    });
    const facts = (): AuditFacts => {
      const closed = platform.demo?.closedMonth;
      expect(closed?.closed).toBeDefined();
      expect(closed?.newcomer?.handOff).toBeDefined();
      expect(closed?.correction).toBeDefined();
      return {
        regionId: closed!.regionId,
        month: closed!.month,
        newcomerTaskId: closed!.newcomer!.handOff!.taskId,
        correctedEntryId: closed!.correction!.entryId,
        correctionReason: DEMO_CORRECTION_REASON,
      };
    };

    it('answers every question through the HTTP API: hand-offs with reasons (redacted once forgotten), who held a task when, a timeline, histories, the closed month reconciled to the yen, corrections before and after, a stream as of an instant, search, verification against the seals, every query recorded', async () => {
      await runAuditStory(api, accounts(), facts());
    }, 120_000);

    it('answers through the workshare audit command line too, with its exit codes', async () => {
      await runAuditCliStory(accounts(), facts(), {
        audit: platform.addresses.audit!,
        identity: platform.addresses.identity!,
      });
    }, 120_000);
  });

  it('time entered → approved → job inspected: a member enters the span of her task and marks it done, sees her week in Tokyo time, refused spans store nothing, the week is approved once over, the job inspected', async () => {
    // From here on the platform runs on a simulated clock, moved on by the story.
    const clock = new SimulatedClock(platformClock.now());
    platformClock.handOver(clock.now);
    await runTimeStory(api, {
      password: demo.password,
      coordinatorEmail: demo.coordinatorEmail,
      accountantEmail: accountantEmail(),
      businessUserEmail: DEMO_BUSINESS_USER_EMAILS[2]!, // 粕毛ふるさと観光, a business of Kasuge
      memberEmails: (platform.demo?.seed.accounts ?? []).filter((a) => a.role.startsWith('member')).map((a) => a.email),
      store: platform.store,
      clock,
    });
  });

  it('documents every route in OpenAPI and serves the docs page', async () => {
    const openapi = await api.request<{ paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/jobs',
        '/v1/jobs/{jobId}',
        '/v1/jobs/{jobId}/plan',
        '/v1/auth/login',
        '/v1/tasks/{taskId}/time-entries',
        '/v1/me/week',
        '/v1/members/{memberId}/weeks/{weekStart}/approve',
        '/v1/regions/{regionId}/settlements/{month}/close',
        '/v1/regions/{regionId}/settlements/{month}/zengin.txt',
        '/v1/audit/regions/{regionId}/months/{month}/reconciliation',
        '/v1/audit/verification',
      ]),
    );
    const docs = await fetch(`${platform.gatewayUrl}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });
});
