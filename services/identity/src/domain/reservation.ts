import { DomainError, type Decider, type DomainEvent } from '@workshare/eventsourcing';

/**
 * A unique value (a member's email, a business's registration number) claimed by one owner.
 * One stream per value (`accountEmail-<digest>`, `businessNumber-<number>`): the first append
 * goes in with expected version "no stream", so of two concurrent claims exactly one wins and
 * the other, reloaded, is refused. A released value can be claimed again.
 */
export type ReservationMade = DomainEvent<'ReservationMade', { owner: string }>;
export type ReservationReleased = DomainEvent<'ReservationReleased', { owner: string; reason: string }>;
export type ReservationEvent = ReservationMade | ReservationReleased;

export type Reserve = { readonly type: 'Reserve'; readonly owner: string };
export type Release = {
  readonly type: 'Release';
  readonly owner: string;
  readonly reason: string;
  /**
   * A compensation's release (a registration that did not complete, an account forgotten): when
   * the owner no longer holds the value, nothing to do rather than a refusal, so it may run twice.
   */
  readonly ifHeld?: boolean;
};
export type ReservationCommand = Reserve | Release;

/** The owner holding the value (a stream name such as `member-<id>`), if any. */
export type ReservationState = { readonly holder: string | undefined };

export interface ReservationRules {
  /** Code of the refusal when another owner holds the value, e.g. `account.duplicate_email`. */
  readonly takenCode: string;
  /** What the value is, for messages: "this email". */
  readonly what: string;
}

export const reservationDecider = (
  rules: ReservationRules,
): Decider<ReservationCommand, ReservationEvent, ReservationState> => ({
  initialState: () => ({ holder: undefined }),
  decide(command, state) {
    switch (command.type) {
      case 'Reserve':
        if (state.holder === command.owner) return [];
        if (state.holder !== undefined)
          throw new DomainError(rules.takenCode, `${rules.what} is already in use`, 'rule');
        return [{ type: 'ReservationMade', data: { owner: command.owner } }];
      case 'Release':
        if (state.holder !== command.owner && command.ifHeld === true) return [];
        if (state.holder !== command.owner)
          throw new DomainError('reservation.not_held', `${rules.what} is not held by ${command.owner}`, 'rule');
        return [{ type: 'ReservationReleased', data: { owner: command.owner, reason: command.reason } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ReservationMade':
        return { holder: event.data.owner };
      case 'ReservationReleased':
        return { holder: undefined };
    }
  },
});

export const emailReservation = reservationDecider({ takenCode: 'account.duplicate_email', what: 'this email' });
export const registrationNumberReservation = reservationDecider({
  takenCode: 'business.duplicate_registration_number',
  what: 'this registration number',
});
/** The one-time bootstrap of the first operator, reserved like a unique value. */
export const operatorBootstrapReservation = reservationDecider({
  takenCode: 'identity.already_bootstrapped',
  what: 'the first operator',
});

export const emailReservationStream = (emailDigest: string): string => `accountEmail-${emailDigest}`;
export const registrationNumberStream = (registrationNumber: string): string => `businessNumber-${registrationNumber}`;
export const OPERATOR_BOOTSTRAP_STREAM = 'identityBootstrap-operator';
