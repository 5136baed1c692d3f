import { DomainError, NotFoundError, type CommandContext, type JsonObject } from '@workshare/eventsourcing';
import { accountDecider, accountStream, type Account, type AccountKind } from '../domain/account.js';
import { emailReservationStream } from '../domain/reservation.js';
import type { IdentityCore } from './identity-core.js';

/** Forgetting a member or a user: whom, and why. */
export interface ForgetInput {
  readonly accountId: string;
  readonly reason: string;
}

/** A text field of unsealed personal data. */
export const stringField = (data: JsonObject, field: string): string => {
  const value = data[field];
  if (typeof value !== 'string')
    throw new DomainError('identity.personal_data_unreadable', `sealed personal data has no ${field}`, 'rule');
  return value;
};

/**
 * Forgets an account (APPI, crypto-shredding), members and users alike: ForgetAccount is
 * decided on the account's stream (by the person herself or an operator, with a reason; known
 * by the request's command id), then her data key is destroyed and her email released (a
 * decided Release). A retry (the same request id) is answered before the caller is looked at,
 * since she may be the one forgotten, and finishes what the first attempt may have left undone.
 */
export const forgetAccount = async (
  core: IdentityCore,
  kind: AccountKind,
  context: CommandContext,
  { accountId, reason }: ForgetInput,
): Promise<void> => {
  const stream = accountStream(kind, core.assertId(kind, accountId));
  core.streamOfActor(context.actor); // a signed-in member or user, or refused
  const commandId = core.commandIdOf(context);
  const earlier = await core.handledBefore(core.accounts, stream, commandId);
  let account: Account;
  if (earlier !== undefined) {
    if (earlier.state.status === 'unregistered') return;
    account = earlier.state;
    await core.observe((await core.accounts.load(stream)).events);
  } else {
    const actor = await core.actorOf(context);
    const result = await core.accounts.handle(
      stream,
      (state) => {
        if (state.status === 'unregistered' || state.kind !== kind)
          throw new NotFoundError(`${kind}.not_found`, `no ${kind} ${accountId}`);
        return accountDecider.decide({ type: 'ForgetAccount', reason, by: actor }, state);
      },
      { context, now: core.now, ...(commandId !== undefined ? { commandId } : {}) },
    );
    await core.observe(result.events);
    account = result.state as Account;
  }
  await core.options.protector.shred(stream);
  await core.releaseIfHeld(
    core.emails,
    emailReservationStream(account.emailDigest),
    stream,
    'the account was forgotten',
    context,
  );
};
