import { DeciderSpecification } from '@workshare/eventsourcing';
import {
  emailReservation,
  operatorBootstrapReservation,
  registrationNumberReservation,
  type ReservationCommand,
  type ReservationEvent,
} from '../../src/domain/reservation.js';

const spec = DeciderSpecification.for(emailReservation);
const made = (owner: string): ReservationEvent => ({ type: 'ReservationMade', data: { owner } });
const released = (owner: string, reason = 'forgotten'): ReservationEvent => ({
  type: 'ReservationReleased',
  data: { owner, reason },
});
const reserve = (owner: string): ReservationCommand => ({ type: 'Reserve', owner });
const release = (owner: string, reason = 'forgotten'): ReservationCommand => ({ type: 'Release', owner, reason });

describe('reservation decider (unique email)', () => {
  it('reserves a free value for its owner', () => {
    spec
      .given([])
      .when(reserve('member-a'))
      .then([made('member-a')]);
  });

  it('reserves a value again after it was released, for anyone', () => {
    spec
      .given([made('member-a'), released('member-a')])
      .when(reserve('member-b'))
      .then([made('member-b')]);
  });

  it('answers a repeated reservation by the same owner with nothing (a retry)', () => {
    spec
      .given([made('member-a')])
      .when(reserve('member-a'))
      .thenNothing();
  });

  it('refuses a value held by another owner: a duplicate email', () => {
    spec
      .given([made('member-a')])
      .when(reserve('member-b'))
      .thenThrows('account.duplicate_email', 'rule');
  });

  it('releases a value held by its owner', () => {
    spec
      .given([made('member-a')])
      .when(release('member-a'))
      .then([released('member-a')]);
  });

  it('refuses a release by another owner', () => {
    spec
      .given([made('member-a')])
      .when(release('member-b'))
      .thenThrows('reservation.not_held', 'rule');
  });

  it('refuses to release a free value', () => {
    spec.given([]).when(release('member-a')).thenThrows('reservation.not_held', 'rule');
    spec
      .given([made('member-a'), released('member-a')])
      .when(release('member-a'))
      .thenThrows('reservation.not_held', 'rule');
  });
});

describe('a compensation’s release (ifHeld)', () => {
  const relinquish = (owner: string, reason = 'the registration did not complete'): ReservationCommand => ({
    type: 'Release',
    owner,
    reason,
    ifHeld: true,
  });

  it('releases a value its owner holds', () => {
    spec
      .given([made('member-a')])
      .when(relinquish('member-a'))
      .then([released('member-a', 'the registration did not complete')]);
  });

  it('does nothing when the owner no longer holds it: released before, free, or held by another', () => {
    spec
      .given([made('member-a'), released('member-a')])
      .when(relinquish('member-a'))
      .thenNothing();
    spec.given([]).when(relinquish('member-a')).thenNothing();
    spec
      .given([made('member-b')])
      .when(relinquish('member-a'))
      .thenNothing();
  });
});

describe('the other reservations refuse with their own codes', () => {
  it('a registration number held by another business', () => {
    DeciderSpecification.for(registrationNumberReservation)
      .given([made('business-a')])
      .when(reserve('business-b'))
      .thenThrows('business.duplicate_registration_number', 'rule');
  });

  it('a second bootstrap of the first operator', () => {
    DeciderSpecification.for(operatorBootstrapReservation)
      .given([made('user-a')])
      .when(reserve('user-b'))
      .thenThrows('identity.already_bootstrapped', 'rule');
  });
});
