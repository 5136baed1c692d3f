import { callerRoleOf, type Caller } from '@workshare/eventsourcing';
import type { TokenVerifier } from '@workshare/grpc';
import type { IdentityService } from '../../application/identity-service.js';
import type { TokenSubject } from '../../application/ports.js';

/** The gRPC host's view of whom a token speaks for (subject and roles), as every service sees it. */
export const grpcCallerOf = (subject: TokenSubject): Caller => ({
  subject: subject.id,
  roles: subject.roles.map(callerRoleOf),
});

/**
 * The identity service's token verifier for its own gRPC host: `service.verifyToken` (signature,
 * issuer, audience, expiry), the result handed to the host as its Caller, from which the
 * handlers make the use cases' context (commandContextOf). Verified tokens are remembered by
 * the token service, so a call with a known token costs a map lookup here.
 */
export class IdentityTokenVerifier implements TokenVerifier {
  private readonly hostCallers = new WeakMap<TokenSubject, Caller>();

  constructor(private readonly service: Pick<IdentityService, 'verifyToken'>) {}

  async verify(token: string): Promise<Caller> {
    const subject = await this.service.verifyToken(token);
    let hostCaller = this.hostCallers.get(subject);
    if (hostCaller === undefined) {
      hostCaller = grpcCallerOf(subject);
      this.hostCallers.set(subject, hostCaller);
    }
    return hostCaller;
  }
}
