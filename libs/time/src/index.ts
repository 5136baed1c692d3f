export * from './clock.js';
export * from './tokyo.js';
