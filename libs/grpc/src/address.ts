/**
 * Where a client finds a service: one `host:port` (`[v6]:port`), or the replicas of one service
 * as a comma-separated list of IP `host:port` entries (`127.0.0.1:50054,127.0.0.1:50055`), whose
 * calls are spread round-robin over the replicas that are up. The one place that reads such an
 * address: the configuration checks it (`addressProblem`), the clients dial it (`channelTargetOf`).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ChannelOptions } from '@grpc/grpc-js';

/** `host:port` or `[v6]:port`. */
const ENTRY = /^(?:([^\s:[\],]+)|\[([0-9a-fA-F:.]+)\]):(\d{1,5})$/;

/**
 * The grpc-js service config of a list of replicas: calls spread round-robin over every address,
 * and a call that finds its replica gone (UNAVAILABLE: killed, restarting, before the channel
 * noticed) tried again on another, up to three attempts in all. Safe for every call: queries
 * change nothing, and every command carries its request id (a retry answers its first outcome).
 */
export const ROUND_ROBIN_SERVICE_CONFIG = JSON.stringify({
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{}],
      retryPolicy: {
        maxAttempts: 3,
        initialBackoff: '0.05s',
        maxBackoff: '0.2s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
  ],
});

/** A grpc-js target given as such (`dns:`, `ipv4:`, `unix:`...): passed to the channel untouched. */
const GRPC_TARGET = /^(?:dns|ipv4|ipv6|unix|unix-abstract|vsock):/i;

const entriesOf = (address: string): string[] => address.split(',').map((entry) => entry.trim());

/**
 * Why `address` is no address of a service, as the end of a sentence about it (`IDENTITY_ADDRESS
 * must be host:port, got ...`), or undefined when it is one: one `host:port` (`[v6]:port`), or a
 * comma-separated list of IP `host:port` entries, one per replica, all IPv4 or all IPv6, none twice.
 * A list takes IP addresses only: its entries are the replicas as given, not names to resolve.
 */
export const addressProblem = (address: string): string | undefined => {
  const entries = entriesOf(address);
  if (entries.length === 1) {
    const match = ENTRY.exec(entries[0]!);
    return match !== null && Number(match[3]) >= 1 && Number(match[3]) <= 65_535
      ? undefined
      : `must be host:port (or a comma-separated list of IP host:port, one per replica), got ${JSON.stringify(address)}`;
  }
  const list = `must be host:port or a comma-separated list of IP host:port (one per replica), got ${JSON.stringify(address)}`;
  const kinds = new Set<4 | 6>();
  const seen = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const which = `entry ${index + 1} of ${entries.length}`;
    if (entry === '') return `${list}: ${which} is empty`;
    const match = ENTRY.exec(entry);
    if (match === null) return `${list}: ${which}, ${JSON.stringify(entry)}, is not host:port`;
    const port = Number(match[3]);
    if (port < 1 || port > 65_535) return `${list}: ${which}, ${JSON.stringify(entry)}, has no port from 1 to 65535`;
    const host = match[1] ?? match[2]!;
    const kind = match[2] !== undefined ? (isIPv6(host) ? 6 : undefined) : isIPv4(host) ? 4 : undefined;
    if (kind === undefined)
      return `${list}: ${which}, ${JSON.stringify(entry)}, is not an IP address (a list names each replica by its IP address; a host name stays one address)`;
    kinds.add(kind);
    const key = `${host.toLowerCase()}:${port}`;
    const first = seen.get(key);
    if (first !== undefined) return `${list}: ${which}, ${JSON.stringify(entry)}, repeats entry ${first}`;
    seen.set(key, index + 1);
  }
  if (kinds.size > 1) return `${list}: it mixes IPv4 and IPv6 addresses (a list takes one kind)`;
  return undefined;
};

/** The entries of an address: one for `host:port`, one per replica for a list (trimmed). */
export const addressEntries = (address: string): string[] =>
  GRPC_TARGET.test(address.trim()) ? [address.trim()] : entriesOf(address);

/**
 * How a channel dials `address`: one `host:port` (or a grpc-js target such as `dns:///...`) as
 * it is; a list as the grpc-js target `ipv4:a,b` (`ipv6:[a]:p,[b]:p`) with a round-robin service
 * config, so that each call goes to the next replica whose connection is up (a replica that is
 * down is left out until it is back). A malformed list is refused (TypeError) before any call.
 */
export const channelTargetOf = (address: string): { target: string; channelOptions: Partial<ChannelOptions> } => {
  const trimmed = address.trim();
  if (GRPC_TARGET.test(trimmed) || !trimmed.includes(',')) return { target: trimmed, channelOptions: {} };
  const problem = addressProblem(trimmed);
  if (problem !== undefined) throw new TypeError(`the address ${problem}`);
  const entries = entriesOf(trimmed);
  const scheme = entries[0]!.startsWith('[') ? 'ipv6' : 'ipv4';
  return {
    target: `${scheme}:${entries.join(',')}`,
    channelOptions: { 'grpc.service_config': ROUND_ROBIN_SERVICE_CONFIG },
  };
};
