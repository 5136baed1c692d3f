/**
 * The intake story on the embedded default (`npm start`'s platform: one process, embedded
 * store and bus, the demo cooperative seeded), through the gateway's HTTP API only.
 */
import { DEMO_BUSINESS_USER_EMAIL, DEMO_BUSINESS_USER_EMAILS, DEMO_COORDINATOR_EMAIL } from '@workshare/identity';
import { startEmbeddedPlatform, type EmbeddedPlatform } from '@workshare/launcher';
import { apiAt, eventually, type Api } from './support/http.js';
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
  GATEWAY_PORT: '0',
};

let platform: EmbeddedPlatform;
let api: Api;

beforeAll(async () => {
  platform = await startEmbeddedPlatform({
    storeUrl: 'embedded:memory',
    env: ANY_PORT,
    demo: { password: demo.password },
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

  it('documents every route in OpenAPI and serves the docs page', async () => {
    const openapi = await api.request<{ paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/jobs', '/v1/jobs/{jobId}', '/v1/jobs/{jobId}/plan', '/v1/auth/login']),
    );
    const docs = await fetch(`${platform.gatewayUrl}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
  });
});
