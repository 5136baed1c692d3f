export * from './result.js';
export * from './measure.js';
export * from './memory.js';
export * from './progress.js';
export * from './record.js';
export * from './settings.js';
export * from './random.js';
