/**
 * IdentityTokenVerifierClient's memory: answers kept, forgotten on identity's revocations (by
 * account, session and token id), and answers that arrive around a revocation not outliving it.
 * The identity here is a test double of VerifyToken over a real loopback gRPC server, whose
 * answers the test changes (what identity holds now); services/identity's remote-verifier spec
 * runs the verifier against the real identity.
 */
import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { identityV1 } from '@workshare/proto';
import { IdentityTokenVerifierClient } from '../src/index.js';

interface Holder {
  subject: string;
  session: string;
  tokenId: string;
  roles: identityV1.Role[];
}

const MEMBER = { kind: identityV1.RoleKind.ROLE_KIND_MEMBER, region: '', businessId: '' };
const COORDINATOR = { kind: identityV1.RoleKind.ROLE_KIND_COORDINATOR, region: 'fujisato', businessId: '' };

let server: Server;
let address: string;
/** What the double's identity holds now, by token. */
const holders = new Map<string, Holder>();
const asked: string[] = [];
/** Delays the double's answers (an identity that is slow to answer). */
let delayMs = 0;
/** Called when an answer has been computed, before it is sent (a test revokes there). */
let beforeAnswer: (() => void) | undefined;
/** When the double's tokens expire (default: 15 minutes from the real time). */
let expiryOf: (() => Date) | undefined;

beforeAll(async () => {
  server = new Server();
  server.addService(identityV1.IdentityServiceService, {
    verifyToken: (
      call: ServerUnaryCall<identityV1.VerifyTokenRequest, identityV1.VerifyTokenResponse>,
      callback: sendUnaryData<identityV1.VerifyTokenResponse>,
    ) => {
      const token = call.request.token;
      asked.push(token);
      const holder = holders.get(token);
      if (holder === undefined) {
        // As identity refuses: the status of the kind, the stable code in the trailers.
        const metadata = new Metadata();
        metadata.set('x-error-code', 'auth.session_revoked');
        return callback({ code: status.UNAUTHENTICATED, details: 'the session has ended', metadata });
      }
      const response = identityV1.VerifyTokenResponse.fromPartial({
        caller: { subject: holder.subject, roles: [...holder.roles] },
        expiresAt: expiryOf?.() ?? new Date(Date.now() + 15 * 60_000),
        sessionId: holder.session,
        tokenId: holder.tokenId,
      });
      setTimeout(() => {
        beforeAnswer?.();
        callback(null, response);
      }, delayMs);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  address = `127.0.0.1:${port}`;
});

afterAll(() => server.forceShutdown());

beforeEach(() => {
  holders.clear();
  asked.length = 0;
  delayMs = 0;
  beforeAnswer = undefined;
  expiryOf = undefined;
  holders.set('yuki-1', { subject: 'yuki', session: 's1', tokenId: 'j1', roles: [MEMBER, COORDINATOR] });
  holders.set('yuki-2', { subject: 'yuki', session: 's2', tokenId: 'j2', roles: [MEMBER, COORDINATOR] });
  holders.set('hana-1', { subject: 'hana', session: 's3', tokenId: 'j3', roles: [MEMBER] });
});

const revokeCoordinator = (subject: string): void => {
  for (const holder of holders.values()) if (holder.subject === subject) holder.roles = [MEMBER];
};
const roles = async (verifier: IdentityTokenVerifierClient, token: string) =>
  (await verifier.verify(token)).roles.map((r) => r.role);

describe('IdentityTokenVerifierClient', () => {
  it('remembers an answer: a steady caller asks identity once', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address });
    try {
      const calls = await Promise.all([1, 2, 3].map(() => verifier.verify('yuki-1')));
      expect(calls.every((c) => c === calls[0])).toBe(true);
      await verifier.verify('yuki-1');
      expect(asked).toEqual(['yuki-1']);
      // Identity changed its mind, and nobody said so: the answer stands for its TTL.
      revokeCoordinator('yuki');
      expect(await roles(verifier, 'yuki-1')).toEqual(['member', 'coordinator']);
    } finally {
      verifier.close();
    }
  });

  it('forgets every token of an account whose access was revoked, and only those', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address, revocationSettleMs: 0 });
    try {
      await Promise.all(['yuki-1', 'yuki-2', 'hana-1'].map((t) => verifier.verify(t)));
      revokeCoordinator('yuki');
      verifier.revoke({ subjects: ['yuki'] });
      asked.length = 0;
      expect(await roles(verifier, 'yuki-1')).toEqual(['member']);
      expect(await roles(verifier, 'yuki-2')).toEqual(['member']);
      expect(await roles(verifier, 'hana-1')).toEqual(['member']);
      expect(asked).toEqual(['yuki-1', 'yuki-2']);
    } finally {
      verifier.close();
    }
  });

  it('forgets the tokens of an ended session, and a token by its id', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address, revocationSettleMs: 0 });
    try {
      await Promise.all(['yuki-1', 'yuki-2', 'hana-1'].map((t) => verifier.verify(t)));
      holders.delete('yuki-1'); // identity refuses it now (its session ended)
      verifier.revoke({ sessions: ['s1'] });
      await expect(verifier.verify('yuki-1')).rejects.toMatchObject({ kind: 'unauthenticated' });
      await verifier.verify('yuki-2');
      expect(asked.filter((t) => t === 'yuki-2')).toHaveLength(1);
      holders.delete('hana-1');
      verifier.revoke({ tokenIds: ['j3'] });
      await expect(verifier.verify('hana-1')).rejects.toMatchObject({ kind: 'unauthenticated' });
      expect(verifier.size).toBe(1);
    } finally {
      verifier.close();
    }
  });

  it('does not keep past its settling an answer that was on its way when the revocation came', async () => {
    let now = 1_000_000;
    const verifier = new IdentityTokenVerifierClient({
      identityAddress: address,
      revocationSettleMs: 250,
      now: () => now,
    });
    try {
      // Identity answers the old roles; the revocation is heard before the answer arrives.
      beforeAnswer = () => {
        beforeAnswer = undefined;
        verifier.revoke({ subjects: ['yuki'] });
        revokeCoordinator('yuki');
      };
      expect(await roles(verifier, 'yuki-1')).toEqual(['member', 'coordinator']);
      now += 100;
      expect(await roles(verifier, 'yuki-1')).toEqual(['member', 'coordinator']); // within the settling
      now += 200;
      expect(await roles(verifier, 'yuki-1')).toEqual(['member']); // asked again
      now += 60_000;
      expect(await roles(verifier, 'yuki-1')).toEqual(['member']);
      expect(asked).toEqual(['yuki-1', 'yuki-1', 'yuki-1']);
    } finally {
      verifier.close();
    }
  });

  it('does not let a call after a revocation share the request that was in flight before it', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address, revocationSettleMs: 0 });
    try {
      delayMs = 200;
      const before = verifier.verify('yuki-1');
      await new Promise((resolve) => setTimeout(resolve, 50));
      revokeCoordinator('yuki');
      verifier.revoke({ subjects: ['yuki'] });
      const after = verifier.verify('yuki-1');
      expect((await before).roles.map((r) => r.role)).toEqual(['member', 'coordinator']);
      expect((await after).roles.map((r) => r.role)).toEqual(['member']);
      expect(asked).toEqual(['yuki-1', 'yuki-1']);
    } finally {
      verifier.close();
    }
  });

  it("reads a token's expiry on the platform's clock: remembered at a simulated time in the past, forgotten once that clock passes it", async () => {
    let simulated = Date.now() - 400 * 86_400_000;
    const clock = () => new Date(simulated);
    const issuedAt = simulated;
    expiryOf = () => new Date(issuedAt + 15 * 60_000);
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address, clock });
    const onRealTime = new IdentityTokenVerifierClient({ identityAddress: address });
    try {
      await verifier.verify('yuki-1');
      await verifier.verify('yuki-1');
      expect(asked).toEqual(['yuki-1']);
      expect(verifier.size).toBe(1);
      // The same answer read on the real time has long expired: never remembered.
      await onRealTime.verify('hana-1');
      expect(onRealTime.size).toBe(0);
      // The platform's clock passes the token's expiry: identity is asked again (and refuses it).
      simulated += 15 * 60_000;
      holders.delete('yuki-1');
      await expect(verifier.verify('yuki-1')).rejects.toMatchObject({ kind: 'unauthenticated' });
      expect(asked).toEqual(['yuki-1', 'hana-1', 'yuki-1']);
      expect(verifier.size).toBe(0);
    } finally {
      verifier.close();
      onRealTime.close();
    }
  });

  it('forgets everything on revokeAll, and asks every time with a TTL of 0', async () => {
    const verifier = new IdentityTokenVerifierClient({ identityAddress: address });
    const uncached = new IdentityTokenVerifierClient({ identityAddress: address, cacheTtlMs: 0 });
    try {
      await Promise.all(['yuki-1', 'hana-1'].map((t) => verifier.verify(t)));
      verifier.revokeAll();
      expect(verifier.size).toBe(0);
      asked.length = 0;
      await uncached.verify('hana-1');
      await uncached.verify('hana-1');
      expect(asked).toEqual(['hana-1', 'hana-1']);
      expect(uncached.size).toBe(0);
    } finally {
      verifier.close();
      uncached.close();
    }
  });
});
