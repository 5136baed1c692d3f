/** The test cooperative's people as this service's facade sees them (castOf of @workshare/identity). */
export { castOf, TEST_PEOPLE as PEOPLE, type TestCast as Cast, type TestPerson as Person } from '@workshare/identity';
