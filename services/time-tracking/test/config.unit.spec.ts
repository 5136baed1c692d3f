import { ConfigError, readServiceConfig } from '../src/config.js';
import { timeTrackingDefinition } from '../src/service.js';

// The settings every service has are tested with @workshare/service-host; here, this service's.
describe('service configuration', () => {
  it('listens on its own conventional port by default', () => {
    expect(readServiceConfig({})).toMatchObject({ grpcPort: 50062, identityAddress: '127.0.0.1:50051' });
  });

  it('reads the environment and names every problem at once', () => {
    expect(readServiceConfig({ GRPC_PORT: '0' })).toMatchObject({ grpcPort: 0 });
    expect(() => readServiceConfig({ GRPC_PORT: '70000', LOG_LEVEL: 'chatty' })).toThrow(ConfigError);
  });

  it('is one service definition: its stream, its read models, no consumers, a store, identity’s token checks', () => {
    expect(timeTrackingDefinition).toMatchObject({
      name: 'time-tracking',
      protocol: 'grpc',
      defaultPort: 50062,
      streams: ['timesheet'],
      readModels: ['task-holdings', 'member-regions', 'timesheets'],
      consumerNames: [],
      usesStore: true,
      verifiesTokensWithIdentity: true,
    });
  });
});
