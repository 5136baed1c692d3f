import { addressEntries, addressProblem, channelTargetOf, ROUND_ROBIN_SERVICE_CONFIG } from '../src/index.js';

describe('a service address: one host:port, or its replicas as a list', () => {
  it.each(['identity:50051', '127.0.0.1:50054', '[::1]:50054', 'team-scheduling.workshare.svc:50054'])(
    'takes %s as one address, dialled as it is',
    (address) => {
      expect(addressProblem(address)).toBeUndefined();
      expect(addressEntries(address)).toEqual([address]);
      expect(channelTargetOf(address)).toEqual({ target: address, channelOptions: {} });
    },
  );

  it('takes a list of IPv4 replicas, spaces around the commas allowed, dialled round-robin', () => {
    const address = '127.0.0.1:50054, 127.0.0.1:50055';
    expect(addressProblem(address)).toBeUndefined();
    expect(addressEntries(address)).toEqual(['127.0.0.1:50054', '127.0.0.1:50055']);
    expect(channelTargetOf(address)).toEqual({
      target: 'ipv4:127.0.0.1:50054,127.0.0.1:50055',
      channelOptions: { 'grpc.service_config': ROUND_ROBIN_SERVICE_CONFIG },
    });
    expect(JSON.parse(ROUND_ROBIN_SERVICE_CONFIG)).toMatchObject({
      loadBalancingConfig: [{ round_robin: {} }],
      methodConfig: [{ name: [{}], retryPolicy: { maxAttempts: 3, retryableStatusCodes: ['UNAVAILABLE'] } }],
    });
  });

  it('takes a list of IPv6 replicas', () => {
    expect(channelTargetOf('[::1]:50054,[::1]:50055').target).toBe('ipv6:[::1]:50054,[::1]:50055');
  });

  it('passes a grpc-js target (dns:, ipv4:, unix:) through untouched', () => {
    expect(channelTargetOf('dns:///team-scheduling:50054')).toEqual({
      target: 'dns:///team-scheduling:50054',
      channelOptions: {},
    });
    expect(addressEntries('ipv4:127.0.0.1:1,127.0.0.1:2')).toEqual(['ipv4:127.0.0.1:1,127.0.0.1:2']);
  });

  it.each([
    ['no port', 'must be host:port (or a comma-separated list of IP host:port, one per replica), got "no port"'],
    ['identity:0', 'must be host:port (or a comma-separated list of IP host:port, one per replica), got "identity:0"'],
    ['127.0.0.1:50054,', 'entry 2 of 2 is empty'],
    ['127.0.0.1:50054,team scheduling:50055', 'entry 2 of 2, "team scheduling:50055", is not host:port'],
    ['127.0.0.1:50054,127.0.0.1:70000', 'entry 2 of 2, "127.0.0.1:70000", has no port from 1 to 65535'],
    [
      'team-scheduling-1:50054,team-scheduling-2:50054',
      'entry 1 of 2, "team-scheduling-1:50054", is not an IP address (a list names each replica by its IP address; a host name stays one address)',
    ],
    ['127.0.0.1:50054,127.0.0.1:50054', 'entry 2 of 2, "127.0.0.1:50054", repeats entry 1'],
    ['127.0.0.1:50054,[::1]:50055', 'it mixes IPv4 and IPv6 addresses (a list takes one kind)'],
    ['127.0.0.1:50054,[fe80::zz]:50055', 'entry 2 of 2, "[fe80::zz]:50055", is not host:port'],
  ])('refuses %s, saying which entry is at fault and why', (address, why) => {
    const problem = addressProblem(address);
    expect(problem).toContain(why);
    if (address.includes(','))
      expect(problem).toMatch(/^must be host:port or a comma-separated list of IP host:port \(one per replica\), got /);
    if (address.includes(',')) expect(() => channelTargetOf(address)).toThrow(new TypeError(`the address ${problem}`));
  });
});
