/**
 * The test cooperative's people as this service's facade sees them (castOf of
 * @workshare/identity), and dates relative to now.
 */
export { castOf, TEST_PEOPLE as PEOPLE, type TestCast as Cast, type TestPerson as Person } from '@workshare/identity';

export const DAY_MS = 86_400_000;
export const daysFromNow = (days: number): Date => new Date(Date.now() + days * DAY_MS);
