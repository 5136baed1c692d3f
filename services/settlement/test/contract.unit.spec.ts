import { settlementV1 } from '@workshare/proto';
import { DOWNLOAD_KINDS, JOURNAL_ENCODINGS, PUBLISHED_EVENTS } from '../src/contract.js';

describe('the published contract', () => {
  it('names the download kinds of the gRPC contract, each once, in its order', () => {
    const names = Object.keys(settlementV1.DownloadKind)
      .filter((key) => key.startsWith('DOWNLOAD_KIND_') && key !== 'DOWNLOAD_KIND_UNSPECIFIED')
      .map((key) => key.slice('DOWNLOAD_KIND_'.length).toLowerCase());
    expect(DOWNLOAD_KINDS).toEqual(names);
  });

  it('publishes MonthClosed v1 only, on the settlement category', () => {
    expect(PUBLISHED_EVENTS.map((e) => [e.type, e.schemaVersion, e.category])).toEqual([
      ['MonthClosed', 1, 'settlement'],
    ]);
  });

  it('says how each journal is encoded (弥生: Shift_JIS)', () => {
    expect(JOURNAL_ENCODINGS.yayoi).toBe('Shift_JIS');
  });
});
