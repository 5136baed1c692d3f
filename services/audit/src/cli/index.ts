// `workshare audit …`: the command line (args.ts), the table and progress drawing (render.ts),
// the run (run.ts), how it reaches the services (connect.ts), and the process around it (main.ts).
export {
  AUDIT_CLI_USAGE,
  DEFAULT_AUDIT_ADDRESS,
  DEFAULT_IDENTITY_ADDRESS,
  AuditCliUsageError,
  instantOf,
  parseAuditCli,
  type AuditCliCommand,
  type AuditCliOptions,
  type AuditCliQuestion,
  type ParsedAuditCli,
} from './args.js';
export { displayWidth, progressBar, renderTable } from './render.js';
export {
  EXIT as AUDIT_CLI_EXIT,
  describeFailure,
  runAuditCli,
  type AuditCliAnswer,
  type AuditCliConnection,
  type AuditCliConnector,
  type AuditCliIo,
  type AuditCliServiceQuestion,
  type AuditRebuildProgress,
  tableOfCsv,
} from './run.js';
export {
  auditQuestions,
  exportRequestFor,
  grpcAuditCliConnector,
  readModelRebuilds,
  signInAtIdentity,
} from './connect.js';
export { auditCliMain } from './main.js';
