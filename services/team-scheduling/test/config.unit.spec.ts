import { ConfigError, readServiceConfig } from '../src/config.js';

// The settings every service has are tested with @workshare/service-host; here, this service's.
describe('service configuration', () => {
  it('listens on its own conventional port by default', () => {
    expect(readServiceConfig({})).toMatchObject({
      grpcPort: 50054,
      identityAddress: '127.0.0.1:50051',
    });
  });

  it('reads the environment and names every problem at once', () => {
    expect(readServiceConfig({ GRPC_PORT: '0' })).toMatchObject({ grpcPort: 0 });
    expect(() => readServiceConfig({ GRPC_PORT: '70000', LOG_LEVEL: 'chatty' })).toThrow(ConfigError);
  });
});
