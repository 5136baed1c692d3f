/**
 * The event store contract against a KurrentDB server, when EVENTSTORE_URL names one
 * (kurrentdb://, esdb:// or kdb://), e.g.
 *   EVENTSTORE_URL='kurrentdb://admin:changeit@localhost:2113?tls=false' npm test -- kurrentdb
 * KurrentDB's $all is shared by every run against the same server: the suite gives each test
 * streams of its own (unique prefixes) and only looks at those.
 */
import { openEventStore } from '../src/open.js';
import { eventStoreContract } from './contract.js';

const url = process.env.EVENTSTORE_URL;

if (url !== undefined && /^(kurrentdb|kurrent|esdb|kdb)(\+discover)?:\/\//i.test(url)) {
  // KurrentDB keeps no index by event id: a reused id in another stream goes undetected.
  eventStoreContract('kurrentdb', () => openEventStore(url), { uniqueIdsAcrossStreams: false });
} else {
  describe('event store contract: kurrentdb', () => {
    it('KurrentDB contract suite skipped: set EVENTSTORE_URL=kurrentdb://... to run it', () => {
      console.log(
        `KurrentDB contract suite skipped: EVENTSTORE_URL ${url ? 'does not start with kurrentdb://, esdb:// or kdb://' : 'is not set'}` +
          ` (e.g. EVENTSTORE_URL='kurrentdb://admin:changeit@localhost:2113?tls=false')`,
      );
    });
  });
}
