/**
 * The test cooperative's people as this service's facade sees them (castOf of
 * @workshare/identity): identity registers its members on the store, so their MemberRegistered
 * (member: fujisato; coordinator: a member of fujisato coordinating it; setagayaCoordinator: a
 * member of setagaya coordinating it) are in the log the read models fold.
 */
export { castOf, TEST_PEOPLE as PEOPLE, type TestCast as Cast, type TestPerson as Person } from '@workshare/identity';

/** An instant given in Tokyo time: `2026-04-06T09:00`. */
export const tokyo = (local: string): Date => new Date(`${local.length === 16 ? `${local}:00` : local}+09:00`);

/** A clock the tests move. */
export const testClock = (start: string) => {
  let now = tokyo(start);
  return {
    now: () => now,
    set: (local: string) => {
      now = tokyo(local);
    },
  };
};
