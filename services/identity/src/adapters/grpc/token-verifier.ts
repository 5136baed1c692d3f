import { unauthenticated, type Caller as GrpcCaller, type TokenVerifier } from '@workshare/grpc';
import type { Caller } from '../../application/caller.js';
import type { IdentityService } from '../../application/identity-service.js';

/** The gRPC host's view of a caller (subject and roles), as every service sees it. */
export const grpcCallerOf = (caller: Caller): GrpcCaller => ({
  subject: caller.id,
  roles: caller.roles.map((role) => {
    switch (role.kind) {
      case 'coordinator':
        return { role: 'coordinator', region: role.regionId };
      case 'business':
        return { role: 'business', businessId: role.businessId };
      default:
        return { role: role.kind };
    }
  }),
});

/**
 * The identity service's token verifier for its own gRPC host: `service.verifyToken` (signature,
 * issuer, audience, expiry), the result handed to the host as its Caller. The handlers need the
 * identity Caller (with the account kind) that the host's Caller was made from: `callerOf`
 * gives it back. Verified tokens are remembered by the token service, so a call with a known
 * token costs two map lookups here.
 */
export class IdentityTokenVerifier implements TokenVerifier {
  private readonly hostCallers = new WeakMap<Caller, GrpcCaller>();
  private readonly identityCallers = new WeakMap<GrpcCaller, Caller>();

  constructor(private readonly service: Pick<IdentityService, 'verifyToken'>) {}

  async verify(token: string): Promise<GrpcCaller> {
    const caller = await this.service.verifyToken(token);
    let hostCaller = this.hostCallers.get(caller);
    if (hostCaller === undefined) {
      hostCaller = grpcCallerOf(caller);
      this.hostCallers.set(caller, hostCaller);
      this.identityCallers.set(hostCaller, caller);
    }
    return hostCaller;
  }

  /** The identity Caller behind a Caller this verifier gave the host. */
  callerOf(hostCaller: GrpcCaller): Caller {
    const caller = this.identityCallers.get(hostCaller);
    if (caller === undefined)
      throw unauthenticated('auth.unknown_caller', 'the call carries no caller verified by the identity service');
    return caller;
  }
}
