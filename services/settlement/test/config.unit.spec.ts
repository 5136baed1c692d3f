import { ConfigError, DEFAULT_GRPC_PORT, readServiceConfig } from '../src/config.js';

// The settings every service has are tested with @workshare/service-host; here, this service's.
describe('service configuration', () => {
  it('listens on its own conventional port by default, the PDFs in Debian’s IPAex Gothic', () => {
    expect(DEFAULT_GRPC_PORT).toBe(50063);
    expect(readServiceConfig({})).toMatchObject({
      grpcPort: 50063,
      identityAddress: '127.0.0.1:50051',
      projectionsUrl: undefined,
      fontPath: undefined,
    });
  });

  it('reads the font, the projections and identity from the environment', () => {
    expect(
      readServiceConfig({
        SETTLEMENT_FONT_PATH: '/opt/fonts/ipaexg.ttf',
        PROJECTIONS_URL: 'embedded:/tmp/settlement-projections',
        IDENTITY_ADDRESS: '10.0.0.7:50051',
      }),
    ).toMatchObject({
      fontPath: '/opt/fonts/ipaexg.ttf',
      projectionsUrl: 'embedded:/tmp/settlement-projections',
      identityAddress: '10.0.0.7:50051',
    });
  });

  it('names every problem at once', () => {
    expect(readServiceConfig({ GRPC_PORT: '0' })).toMatchObject({ grpcPort: 0 });
    expect(() => readServiceConfig({ GRPC_PORT: '70000', LOG_LEVEL: 'chatty' })).toThrow(ConfigError);
  });
});
