import { Metadata } from '@grpc/grpc-js';
import { checkHealth, createClient, type CallSettings, type ServiceClient } from '@workshare/grpc';
import { identityV1, jobIntakeV1, taskDecompositionV1, teamSchedulingV1 } from '@workshare/proto';

/** The services behind the gateway (identity, job intake, task decomposition, team scheduling), reached over gRPC only (never their stores). */
export interface Upstreams {
  readonly identity: ServiceClient<typeof identityV1.IdentityServiceService>;
  readonly jobIntake: ServiceClient<typeof jobIntakeV1.JobIntakeServiceService>;
  readonly taskDecomposition: ServiceClient<typeof taskDecompositionV1.TaskDecompositionServiceService>;
  readonly teamScheduling: ServiceClient<typeof teamSchedulingV1.TeamSchedulingServiceService>;
  /** Each service's grpc.health.v1 status, lowercase: `serving`, `not_serving`, or why it could not be asked (`unavailable`, `deadline_exceeded`). */
  health(deadlineMs?: number): Promise<Record<UpstreamName, string>>;
  close(): void;
}

export type UpstreamName = 'identity' | 'jobIntake' | 'taskDecomposition' | 'teamScheduling';

export interface UpstreamAddresses {
  readonly identityAddress: string;
  readonly jobIntakeAddress: string;
  readonly taskDecompositionAddress: string;
  readonly teamSchedulingAddress: string;
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
  const addressOf: Record<UpstreamName, string> = {
    identity: addresses.identityAddress,
    jobIntake: addresses.jobIntakeAddress,
    taskDecomposition: addresses.taskDecompositionAddress,
    teamScheduling: addresses.teamSchedulingAddress,
  };
  return {
    identity,
    jobIntake,
    taskDecomposition,
    teamScheduling,
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
    },
  };
};

/** The settings of one call made for a request: the caller's token, and the request id for the service's logs. */
export const callSettings = (requestId: string, token: string | undefined): CallSettings => {
  const metadata = new Metadata();
  metadata.set('x-request-id', requestId);
  return { token, metadata };
};
