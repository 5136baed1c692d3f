export * from './tokyo.js';
