/**
 * The team scheduling service's published contract for other packages (the gateway's schemas):
 * its enums and limits, pure values with no I/O, written once in the domain.
 */
export { LIMITS } from './domain/text.js';
