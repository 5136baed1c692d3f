import { createServer } from 'node:net';
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { identityV1 } from '@workshare/proto';
import { service as healthService } from 'grpc-health-check';
import { jsonLogger, type Logger } from '../../src/index.js';

// Bare grpc-js clients, to see exactly what goes over the wire without @workshare/grpc's client.

export type RawOutcome<T> = { ok: true; response: T; trailers: Metadata } | { ok: false; error: ServiceError };

/** GetMember through the generated grpc-js client, with the metadata given (no deadline, no retries). */
export const rawGetMember = (
  address: string,
  memberId: string,
  metadata = new Metadata(),
): Promise<RawOutcome<identityV1.GetMemberResponse>> => {
  const client = new identityV1.IdentityServiceClient(address, credentials.createInsecure());
  return new Promise((resolve) => {
    let trailers = new Metadata();
    const call = client.getMember({ memberId }, metadata, { deadline: Date.now() + 5_000 }, (error, response) => {
      client.close();
      resolve(error ? { ok: false, error } : { ok: true, response, trailers });
    });
    call.on('status', (s) => {
      trailers = s.metadata;
    });
  });
};

export const bearer = (token: string): Metadata => {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
const check = healthService.Check;
if (check === undefined) throw new Error('grpc-health-check has no Check method');

/** grpc.health.v1.Health/Check: the status name, or the error's status code. */
export const healthCheck = (address: string, service: string): Promise<string | { code: number }> => {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (request: { service: string }) => check.requestSerialize(request),
      (bytes: Buffer) => check.responseDeserialize(bytes) as { status: string },
      { service },
      new Metadata(),
      { deadline: Date.now() + 2_000 },
      (error, response) => {
        client.close();
        resolve(error ? { code: error.code } : (response?.status ?? 'none'));
      },
    );
  });
};

// --- server reflection (grpc.reflection.v1) over a raw stream, protobuf written by hand ---

const varint = (n: number): number[] => {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return bytes;
};

const stringField = (field: number, value: string): Buffer => {
  const data = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(data.length)]), data]);
};

interface Field {
  field: number;
  bytes?: Buffer;
}

/** The fields of a protobuf message (length-delimited ones with their bytes; varints skipped). */
const fieldsOf = (message: Buffer): Field[] => {
  const fields: Field[] = [];
  let at = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = message[at++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (at < message.length) {
    const tag = readVarint();
    const wire = tag & 7;
    const field = tag >>> 3;
    if (wire === 2) {
      const length = readVarint();
      fields.push({ field, bytes: message.subarray(at, at + length) });
      at += length;
    } else if (wire === 0) {
      readVarint();
      fields.push({ field });
    } else {
      throw new Error(`unexpected wire type ${wire}`);
    }
  }
  return fields;
};

const ReflectionClient = makeGenericClientConstructor(
  {
    serverReflectionInfo: {
      path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      requestStream: true,
      responseStream: true,
      requestSerialize: (bytes: Buffer) => bytes,
      requestDeserialize: (bytes: Buffer) => bytes,
      responseSerialize: (bytes: Buffer) => bytes,
      responseDeserialize: (bytes: Buffer) => bytes,
    },
  },
  'grpc.reflection.v1.ServerReflection',
);

const reflect = (address: string, request: Buffer): Promise<Field[]> => {
  const client = new ReflectionClient(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const stream = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      new Metadata(),
      { deadline: Date.now() + 5_000 },
    );
    stream.on('data', (response: Buffer) => {
      stream.end();
      client.close();
      resolve(fieldsOf(response));
    });
    stream.on('error', (error: Error) => {
      client.close();
      reject(error);
    });
    stream.write(request);
  });
};

/** ServerReflectionRequest{list_services: "*"} → the service names listed. */
export const reflectionListServices = async (address: string): Promise<string[]> => {
  const response = await reflect(address, stringField(7, '*'));
  const list = response.find((f) => f.field === 6)?.bytes;
  if (list === undefined)
    throw new Error(`no list_services_response in fields ${response.map((f) => f.field).join(',')}`);
  return fieldsOf(list)
    .filter((f) => f.field === 1 && f.bytes)
    .map(
      (f) =>
        fieldsOf(f.bytes as Buffer)
          .find((n) => n.field === 1)
          ?.bytes?.toString('utf8') ?? '',
    );
};

/** ServerReflectionRequest{file_containing_symbol} → the names of the files answered (the file and its imports). */
export const reflectionFilesForSymbol = async (address: string, symbol: string): Promise<string[]> => {
  const response = await reflect(address, stringField(4, symbol));
  const files = response.find((f) => f.field === 4)?.bytes;
  if (files === undefined) throw new Error(`no file_descriptor_response for ${symbol}`);
  return fieldsOf(files)
    .filter((f) => f.field === 1 && f.bytes)
    .map(
      (f) =>
        fieldsOf(f.bytes as Buffer)
          .find((n) => n.field === 1)
          ?.bytes?.toString('utf8') ?? '',
    );
};

/** A free loopback port (taken, then released), for a server started later. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

export interface LogLine {
  level: string;
  fields: object;
  message: string | undefined;
}

/** A logger (the platform's pino logger, at debug) keeping its lines, to look at what the host logged. */
export const capturingLogger = (lines: LogLine[] = []): Logger & { lines: LogLine[] } => {
  const write = (line: string): void => {
    const { level, msg, time: _time, logger: _logger, ...fields } = JSON.parse(line) as Record<string, unknown>;
    lines.push({ level: String(level), fields, message: typeof msg === 'string' ? msg : undefined });
  };
  return Object.assign(jsonLogger('debug', {}, write), { lines });
};
