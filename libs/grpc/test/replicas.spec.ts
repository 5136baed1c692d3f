import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { fileDescriptorProtos, identityV1 } from '@workshare/proto';
import { checkHealth, createClient, startGrpcServer, type GrpcServer, type ServiceClient } from '../src/index.js';
import { capturingLogger } from './support/clients.js';
import {
  newProbe,
  testIdentityService,
  testVerifier,
  type IdentityDefinition,
  type Probe,
} from './support/test-service.js';

// Replicas of one service behind one client: two real servers on loopback, a client given both
// addresses as a list (`127.0.0.1:a,127.0.0.1:b`), calls counted by each server.

const servers: GrpcServer[] = [];
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.shutdown(100)));
});

const replica = async (): Promise<{ server: GrpcServer; probe: Probe }> => {
  const probe = newProbe();
  const server = await startGrpcServer({
    name: 'identity-replica',
    port: 0,
    host: '127.0.0.1',
    services: [testIdentityService(probe)],
    verifier: testVerifier(),
    logger: capturingLogger(),
    descriptors: fileDescriptorProtos,
  });
  servers.push(server);
  return { server, probe };
};

const clientOf = (address: string): ServiceClient<IdentityDefinition> => {
  const client = createClient(identityV1.IdentityServiceClient, address, { deadlineMs: 3_000 });
  clients.push(client);
  return client;
};

const callsOf = (probe: Probe): number => probe.calls.listRegions ?? 0;

describe('a client of a service run in replicas', () => {
  it('spreads calls round-robin over every replica of the list', async () => {
    const [one, two] = [await replica(), await replica()];
    const client = clientOf(`127.0.0.1:${one.server.port},127.0.0.1:${two.server.port}`);
    for (let i = 0; i < 40; i++) await client.listRegions({});
    expect(callsOf(one.probe) + callsOf(two.probe)).toBe(40);
    expect(callsOf(one.probe)).toBeGreaterThanOrEqual(10);
    expect(callsOf(two.probe)).toBeGreaterThanOrEqual(10);
  });

  it('sends every call to the first address of a one-address client (no list, no balancing)', async () => {
    const [one, two] = [await replica(), await replica()];
    const client = clientOf(`127.0.0.1:${one.server.port}`);
    for (let i = 0; i < 10; i++) await client.listRegions({});
    expect([callsOf(one.probe), callsOf(two.probe)]).toEqual([10, 0]);
  });

  it('goes on through the other replica, with no failed call, once one stops; health says SERVING while one serves', async () => {
    const [one, two] = [await replica(), await replica()];
    const address = `127.0.0.1:${one.server.port},127.0.0.1:${two.server.port}`;
    const client = clientOf(address);
    for (let i = 0; i < 10; i++) await client.listRegions({});
    expect(callsOf(one.probe)).toBeGreaterThan(0);
    await one.server.shutdown(100);
    const before = [callsOf(one.probe), callsOf(two.probe)] as const;
    for (let i = 0; i < 20; i++) await client.listRegions({});
    expect([callsOf(one.probe), callsOf(two.probe)]).toEqual([before[0], before[1] + 20]);
    expect(await checkHealth(address)).toBe('SERVING');
    expect(await checkHealth(`127.0.0.1:${one.server.port}`)).toBe('UNAVAILABLE');
    await two.server.shutdown(100);
    expect(await checkHealth(address, '', 500)).toBe('UNAVAILABLE');
  });

  it('tries a call again on the other replica when its replica dies under it (UNAVAILABLE): no call fails', async () => {
    const [one, two] = [await replica(), await replica()];
    // Replica one is reached through a TCP proxy whose sockets are reset at once: as a process
    // killed with SIGKILL drops its connections, calls in flight included, without a GOAWAY.
    const sockets = new Set<Socket>();
    let armed = false;
    const proxy = createServer((inbound) => {
      const outbound = connect(one.server.port, '127.0.0.1');
      // Armed, the next answer bytes from the replica kill it before they reach the client: that
      // call was received and is surely in flight.
      outbound.on('data', () => {
        if (armed) kill();
      });
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = (proxy.address() as AddressInfo).port;
    const kill = (): void => {
      armed = false;
      proxy.close();
      for (const s of sockets) s.resetAndDestroy();
    };
    const client = clientOf(`127.0.0.1:${proxied},127.0.0.1:${two.server.port}`);
    const failures: string[] = [];
    for (let round = 0; round < 60; round++) {
      if (round === 10) armed = true;
      const calls = Array.from({ length: 10 }, () =>
        client.listRegions({}).catch((error: { code?: number; message?: string }) => {
          failures.push(`${error.code}: ${error.message}`);
        }),
      );
      await Promise.all(calls);
    }
    expect(failures).toEqual([]);
    expect(callsOf(two.probe)).toBeGreaterThan(500);
    expect(callsOf(one.probe)).toBeGreaterThan(0);
  });

  it('refuses a malformed list before any call, naming the entry', () => {
    expect(() => createClient(identityV1.IdentityServiceClient, '127.0.0.1:50054,team-scheduling:50055')).toThrow(
      /entry 2 of 2, "team-scheduling:50055", is not an IP address/,
    );
    return expect(checkHealth('127.0.0.1:1,127.0.0.1:1')).rejects.toThrow(/repeats entry 1/);
  });
});
