import { Metadata } from '@grpc/grpc-js';
import { checkHealth, createClient, type CallSettings, type ServiceClient } from '@workshare/grpc';
import {
  identityV1,
  jobIntakeV1,
  settlementV1,
  taskDecompositionV1,
  teamSchedulingV1,
  timeTrackingV1,
} from '@workshare/proto';
import { AUDIT_MAX_ANSWER_BYTES } from '@workshare/audit/contract';
import { MAX_ANSWER_BYTES } from '@workshare/settlement/contract';
import { connectAudit, type AuditUpstream } from './audit.js';

/**
 * The services behind the gateway (identity, job intake, task decomposition, team scheduling,
 * time tracking, settlement, audit), reached over gRPC only (never their stores).
 */
export interface Upstreams {
  readonly identity: ServiceClient<typeof identityV1.IdentityServiceService>;
  readonly jobIntake: ServiceClient<typeof jobIntakeV1.JobIntakeServiceService>;
  readonly taskDecomposition: ServiceClient<typeof taskDecompositionV1.TaskDecompositionServiceService>;
  readonly teamScheduling: ServiceClient<typeof teamSchedulingV1.TeamSchedulingServiceService>;
  readonly timeTracking: ServiceClient<typeof timeTrackingV1.TimeTrackingServiceService>;
  readonly settlement: ServiceClient<typeof settlementV1.SettlementServiceService>;
  readonly audit: AuditUpstream;
  /** Each service's grpc.health.v1 status, lowercase: `serving`, `not_serving`, or why it could not be asked (`unavailable`, `deadline_exceeded`). */
  health(deadlineMs?: number): Promise<Record<UpstreamName, string>>;
  close(): void;
}

export type UpstreamName =
  'identity' | 'jobIntake' | 'taskDecomposition' | 'teamScheduling' | 'timeTracking' | 'settlement' | 'audit';

export interface UpstreamAddresses {
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly teamSchedulingAddress: string;
  readonly timeTrackingAddress: string;
  readonly settlementAddress: string;
  readonly auditAddress: string;
  /** Every call's deadline, retries of UNAVAILABLE included (default 5,000 ms). */
  readonly deadlineMs?: number;
}

export const connectUpstreams = (addresses: UpstreamAddresses): Upstreams => {
  const options = { deadlineMs: addresses.deadlineMs ?? 5_000 };
  const identity = createClient(identityV1.IdentityServiceClient, addresses.identityAddress, options);
  const jobIntake = createClient(jobIntakeV1.JobIntakeServiceClient, addresses.jobIntakeAddress, options);
  const taskDecomposition = createClient(
    taskDecompositionV1.TaskDecompositionServiceClient,
    addresses.taskDecompositionAddress,
    options,
  );
  const teamScheduling = createClient(
    teamSchedulingV1.TeamSchedulingServiceClient,
    addresses.teamSchedulingAddress,
    options,
  );
  const timeTracking = createClient(timeTrackingV1.TimeTrackingServiceClient, addresses.timeTrackingAddress, options);
  // A region's settlement as JSON outgrows gRPC's default 4 MiB answer (settlement's contract).
  const settlement = createClient(settlementV1.SettlementServiceClient, addresses.settlementAddress, {
    ...options,
    channelOptions: { 'grpc.max_receive_message_length': MAX_ANSWER_BYTES },
  });
  // A month's reconciliation or a long history can be large too (the audit's contract).
  const audit = connectAudit(addresses.auditAddress, {
    ...options,
    channelOptions: { 'grpc.max_receive_message_length': AUDIT_MAX_ANSWER_BYTES },
  });
  const addressOf: Record<UpstreamName, string> = {
    identity: addresses.identityAddress,
    jobIntake: addresses.jobIntakeAddress,
    taskDecomposition: addresses.taskDecompositionAddress,
    teamScheduling: addresses.teamSchedulingAddress,
    timeTracking: addresses.timeTrackingAddress,
    settlement: addresses.settlementAddress,
    audit: addresses.auditAddress,
  };
  return {
    identity,
    jobIntake,
    taskDecomposition,
    teamScheduling,
    timeTracking,
    settlement,
    audit,
    health: async (deadlineMs = 1_000) => {
      const names = Object.keys(addressOf) as UpstreamName[];
      // The whole server's status (''): `SERVING`, `NOT_SERVING`, or the call's status (`UNAVAILABLE`...).
      const statuses = await Promise.all(names.map((name) => checkHealth(addressOf[name], '', deadlineMs)));
      return Object.fromEntries(names.map((name, i) => [name, (statuses[i] ?? 'unknown').toLowerCase()])) as Record<
        UpstreamName,
        string
      >;
    },
    close: () => {
      identity.close();
      jobIntake.close();
      taskDecomposition.close();
      teamScheduling.close();
      timeTracking.close();
      settlement.close();
      audit.close();
    },
  };
};

/** The settings of one call made for a request: the caller's token, and the request id for the service's logs. */
export const callSettings = (requestId: string, token: string | undefined): CallSettings => {
  const metadata = new Metadata();
  metadata.set('x-request-id', requestId);
  return { token, metadata };
};
