/**
 * The audit's tamper evidence on the embedded store: the sealer signs the log into the seal log
 * file (at once after a month's close), and verification checks every chain against those
 * seals, the whole log or a range, in the background or on demand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@workshare/eventsourcing';
import { generateSealKey, openEventStore, type SealKey } from '@workshare/eventstore';
import { closesMonth, openSealing, type Sealing } from '../../src/adapters/seals/sealing.js';
import { Verifications } from '../../src/application/verifications.js';

let store: EventStore;
let folder: string;
let key: SealKey;
let sealing: Sealing;

const append = (stream: string, type: string, data: Record<string, unknown> = {}) =>
  store.append(stream, [{ type, data: data as never }]);

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`waited in vain for ${what}`);
};

beforeAll(async () => {
  store = await openEventStore('embedded:memory');
  folder = mkdtempSync(join(tmpdir(), 'audit-seals-'));
  key = generateSealKey(join(folder, 'seal-key.pem'));
  for (let i = 0; i < 5; i++) await append(`job-j${i}`, 'JobSubmitted', { jobId: `j${i}` });
  sealing = await openSealing({
    store,
    key,
    sealLogPath: join(folder, 'seals.jsonl'),
    intervalMs: 3_600_000,
    onError: (error) => {
      throw error;
    },
  });
});

afterAll(async () => {
  await sealing?.close();
  await store?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('sealing and verification', () => {
  it('seals at once after a month closes', async () => {
    await sealing.sealer!.ready;
    await append('settlement-fujisato.2026-11', 'MonthClosed', { regionId: 'fujisato', month: '2026-11' });
    await waitFor(() => sealing.sealer!.last?.reason === 'month-close', 'the seal of the close');
    expect(sealing.sealer!.last).toMatchObject({ sequence: 1, events: 6 });
    expect(closesMonth({ type: 'MonthClosed', streamName: 'job-x' })).toBe(false);
  });

  it('verifies the whole log against the seals, and says what no seal covers yet', async () => {
    await append('job-j9', 'JobSubmitted', { jobId: 'j9' });
    const verifications = new Verifications(sealing.verifier);
    const report = await verifications.report({ fresh: true });
    expect(report).toMatchObject({
      status: 'intact',
      checkedEvents: 7,
      sealsChecked: 1,
      lastSeal: { sequence: 1 },
      unsealedEvents: 1,
      breaks: [],
      range: { fromSeal: null, toSeal: null },
      running: null,
    });
    // The last report is answered at once afterwards.
    expect(await verifications.report({ fresh: false })).toEqual(report);
  });

  it('verifies a range between seals, by sequence or by instant', async () => {
    await sealing.sealer!.sealNow('manual');
    const verifications = new Verifications(sealing.verifier);
    const bySequence = await verifications.report({
      from: { kind: 'seal', sequence: 1 },
      to: { kind: 'seal', sequence: 2 },
      fresh: false,
    });
    expect(bySequence).toMatchObject({ status: 'intact', checkedEvents: 1, range: { fromSeal: 1, toSeal: 2 } });
    const seals = await sealing.verifier.seals();
    expect(seals.map((s) => s.sequence)).toEqual([1, 2]);
    const byInstant = await verifications.report({
      from: { kind: 'instant', at: new Date(seals[0]!.sealedAt) },
      fresh: false,
    });
    expect(byInstant.range).toEqual({ fromSeal: 1, toSeal: null });
  });

  it('runs in the background and reports its progress', async () => {
    const verifications = new Verifications(sealing.verifier);
    const running = verifications.verifyAll();
    expect((await verifications.report({ fresh: false })).status).toBe('intact');
    await running;
    await verifications.stop();
  });
});
