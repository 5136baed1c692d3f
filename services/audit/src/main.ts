#!/usr/bin/env node
/**
 * The audit service as its own process, as a pod runs it:
 *
 *   node --import @workshare/telemetry/register services/audit/dist/src/main.js
 *
 * Its definition (service.ts: configuration, what it opens, what it serves) run by
 * @workshare/service-host's runServiceProcess, which owns the process itself (configuration
 * problems, the store, the bus, token checks, a graceful stop on SIGTERM or SIGINT). See the README.
 */
import { runServiceProcess } from '@workshare/service-host';
import { auditDefinition } from './service.js';

void runServiceProcess(auditDefinition);
