/**
 * How `workshare audit` reaches the platform: it signs in at identity (gRPC Login, the email and
 * password given; or the token given), then asks the audit gRPC service (workshare.audit.v1)
 * with the client this package exports, and rebuilds through the audit's ops ReadModels service
 * (operators only), following the rebuild's progress until it is done.
 */
import { createClient, type ServiceClient } from '@workshare/grpc';
import { auditV1, identityV1, opsV1 } from '@workshare/proto';
import { createAuditClient } from '../adapters/grpc/audit-grpc.js';
import { subjectMessage } from '../adapters/grpc/messages.js';
import type { CsvEncoding, VerificationBreak } from '../contract.js';
import type { AuditCliOptions } from './args.js';
import type {
  AuditCliAnswer,
  AuditCliConnection,
  AuditCliConnector,
  AuditCliServiceQuestion,
  AuditRebuildProgress,
} from './run.js';

/** How often a running rebuild's progress is asked for. */
const PROGRESS_EVERY_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks `client` to rebuild `name` and follows it to its end (ListReadModels shows its progress while it runs). */
const rebuildOne = async (
  client: ServiceClient<typeof opsV1.ReadModelsServiceService>,
  name: string,
  progress: (p: AuditRebuildProgress) => void,
): Promise<{ readonly readModel: string; readonly events: number; readonly seconds: number }> => {
  const started = Date.now();
  const { readModel } = await client.rebuildReadModel({ name });
  let events = Number(readModel?.rebuild?.events ?? 0);
  let fraction = readModel?.rebuild?.fraction ?? 0;
  progress({ readModel: name, events, fraction, done: false });
  for (let running = readModel?.rebuild !== undefined; running;) {
    await sleep(PROGRESS_EVERY_MS);
    const { readModels } = await client.listReadModels({});
    const model = readModels.find((m) => m.name === name);
    if (model === undefined) throw new Error(`the audit no longer lists the read model ${name}`);
    running = model.rebuild !== undefined;
    if (running) {
      events = Number(model.rebuild!.events);
      fraction = model.rebuild!.fraction;
    } else fraction = 1;
    progress({ readModel: name, events, fraction, done: !running });
  }
  return { readModel: name, events, seconds: (Date.now() - started) / 1000 };
};

/** A connection's rebuilds: one read model, or each the audit lists (`undefined`). */
export const readModelRebuilds =
  (address: string, token: string) =>
  async (
    readModel: string | undefined,
    progress: (p: AuditRebuildProgress) => void,
  ): Promise<{ readonly readModel: string; readonly events: number; readonly seconds: number }[]> => {
    // A rebuild of the whole log can take minutes: each call gets a minute, progress is polled.
    const client = createClient(opsV1.ReadModelsServiceClient, address, { token, deadlineMs: 60_000 });
    try {
      const names =
        readModel !== undefined ? [readModel] : (await client.listReadModels({})).readModels.map((m) => m.name);
      const done = [];
      for (const name of names) done.push(await rebuildOne(client, name, progress));
      return done;
    } finally {
      client.close();
    }
  };

/** Signs in at identity with an email and a password; answers the access token. */
export const signInAtIdentity = async (options: AuditCliOptions, password: string | undefined): Promise<string> => {
  const { credentials } = options;
  if (credentials.kind === 'token') return credentials.token;
  const identity = createClient(identityV1.IdentityServiceClient, options.identityAddress, { retries: 1 });
  try {
    const answer = await identity.login({ email: credentials.email, password: password ?? '' });
    return answer.accessToken;
  } finally {
    identity.close();
  }
};

/** The Export request of a question: the query the service answers, and the encoding of its CSV. */
export const exportRequestFor = (question: AuditCliServiceQuestion, encoding: CsvEncoding): auditV1.ExportRequest => {
  const base = {
    encoding:
      encoding === 'shift_jis' ? auditV1.CsvEncoding.CSV_ENCODING_SHIFT_JIS : auditV1.CsvEncoding.CSV_ENCODING_UTF8,
  };
  switch (question.command) {
    case 'history':
      return {
        ...base,
        history: { subject: subjectMessage(question.subject), id: question.id, limit: question.limit ?? 0, after: '' },
      };
    case 'who-held':
      return { ...base, whoHeld: { taskId: question.taskId, at: question.at } };
    case 'timeline':
      return { ...base, jobTimeline: { jobId: question.jobId } };
    case 'hand-offs':
      return { ...base, handOffs: { regionId: question.regionId, from: question.from, to: question.to } };
    case 'reconcile':
      return { ...base, reconciliation: { regionId: question.regionId, month: question.month } };
    case 'as-of':
      return { ...base, streamAsOf: { stream: question.stream, at: question.at } };
    case 'search':
      return {
        ...base,
        search: {
          from: question.from ?? '',
          to: question.to ?? '',
          minYen: question.minYen === undefined ? '' : String(question.minYen),
          maxYen: question.maxYen === undefined ? '' : String(question.maxYen),
          counterparty: question.counterparty ?? '',
          limit: question.limit ?? 0,
        },
      };
    case 'corrections':
      return {
        ...base,
        corrections: { from: question.from ?? '', to: question.to ?? '', regionId: question.regionId ?? '' },
      };
    case 'verify':
      return { ...base, verification: { from: question.from ?? '', to: question.to ?? '', fresh: true } };
    case 'queries':
      return { ...base, queries: { limit: question.limit ?? 0 } };
  }
};

const BREAK_KINDS: Readonly<Record<number, VerificationBreak['kind']>> = {
  [auditV1.BreakKind.BREAK_KIND_CHANGED]: 'changed',
  [auditV1.BreakKind.BREAK_KIND_MISSING]: 'missing',
  [auditV1.BreakKind.BREAK_KIND_INSERTED]: 'inserted',
  [auditV1.BreakKind.BREAK_KIND_REORDERED]: 'reordered',
  [auditV1.BreakKind.BREAK_KIND_SEAL]: 'seal',
};

/**
 * The questions of a session over the audit's gRPC API: each answered by Export (the table as
 * CSV); a verification is run afresh by it, and its report (the one just made, for the whole
 * log) read after for its status.
 */
export const auditQuestions = (address: string, token: string): Pick<AuditCliConnection, 'ask' | 'close'> => {
  // A fresh verification of a large log, or a reconciliation, may take a while.
  const client = createAuditClient(address, { deadlineMs: 120_000 });
  const settings = { token };
  return {
    ask: async (question, encoding): Promise<AuditCliAnswer> => {
      const { content } = await client.export(exportRequestFor(question, encoding), settings);
      if (question.command !== 'verify') return { csv: content };
      const report = await client.getVerification(
        { from: question.from ?? '', to: question.to ?? '', fresh: false },
        settings,
      );
      return {
        csv: content,
        verification: {
          status: report.status === 'intact' ? 'intact' : 'broken',
          checkedEvents: Number(report.checkedEvents),
          breaks: report.breaks.map((b) => ({
            kind: BREAK_KINDS[b.kind] ?? 'changed',
            streamName: b.streamName === '' ? null : b.streamName,
            streamVersion: b.streamVersion === undefined ? null : Number(b.streamVersion),
            position: b.position === '' ? null : b.position,
            eventId: b.eventId === '' ? null : b.eventId,
            reason: b.reason,
          })),
        },
      };
    },
    close: () => client.close(),
  };
};

/** The connector of `workshare audit`: identity's Login, the audit's gRPC API and its ReadModels service. */
export const grpcAuditCliConnector: AuditCliConnector = {
  signIn: signInAtIdentity,
  connect: (options, token) => {
    const asked = auditQuestions(options.auditAddress, token);
    return {
      ask: (question, encoding) => asked.ask(question, encoding),
      rebuild: readModelRebuilds(options.auditAddress, token),
      close: () => asked.close(),
    };
  },
};
