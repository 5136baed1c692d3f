#!/usr/bin/env node
/**
 * The relay as its own process, as a pod runs it (two replicas, one publishing by lease):
 *
 *   node --import @workshare/telemetry/register services/relay/dist/src/main.js
 *
 * Its definition (service.ts) run by @workshare/service-host's runServiceProcess, which owns the
 * process itself (configuration problems, the store, grpc.health.v1 on GRPC_PORT, a graceful
 * stop on SIGTERM or SIGINT that checkpoints and lets go of the lease). See the README.
 */
import { runServiceProcess } from '@workshare/service-host';
import { relayDefinition } from './service.js';

void runServiceProcess(relayDefinition);
