/**
 * The stories on the embedded default (`npm start`'s platform: one process, embedded store and
 * bus, the demo cooperative and its past month seeded), through the gateway's HTTP API only. The
 * platform's clock is the system's (a PlatformClock) until the time story hands it to a
 * SimulatedClock that the story moves on (never back) to let a week end; the stories before it
 * run on the real time.
 */
import { DEMO_BUSINESS_USER_EMAIL, DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import {
  PlatformClock,
  SimulatedClock,
  startEmbeddedPlatform,
  systemClock,
  type EmbeddedPlatform,
} from '@workshare/launcher';
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
}, 120_000);
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
      ]),
    );
    const docs = await fetch(`${platform.gatewayUrl}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });
});
