import { REQUEST_ID_LIMIT } from '@workshare/grpc';
import { timeTrackingV1 } from '@workshare/proto';
import {
  ENTRY_SOURCES,
  LIMITS,
  PUBLISHED_EVENTS,
  TIME_CODES,
  TIME_TRACKING_REQUEST_LIMITS,
  WEEK_APPROVALS,
} from '../src/contract.js';
import { TIME_TRACKING_REQUEST_LIMITS as HOSTED_LIMITS } from '../src/adapters/grpc/time-tracking-grpc.js';
import { entryMessage, weekMessage } from '../src/adapters/grpc/messages.js';
import type { EntryView, WeekView } from '../src/application/week-view.js';

const entry = (source: EntryView['source']): EntryView => ({
  entryId: 'e',
  taskId: 't',
  jobId: 'j',
  regionId: 'fujisato',
  start: new Date(0),
  end: new Date(60_000),
  startTokyo: '',
  endTokyo: '',
  minutes: 1,
  source,
  days: [],
});
const week = (approval: WeekView['approval']): WeekView => ({
  memberId: 'm',
  weekStart: '2026-04-06',
  weekEnd: '2026-04-12',
  approval,
  entries: [],
  days: [],
  totalMinutes: 0,
});
const known = (values: object): number[] =>
  Object.values(values).filter((v): v is number => typeof v === 'number' && v > 0);

// The published contract (what the HTTP edge's schemas import) is what the service speaks.
describe('@workshare/time-tracking/contract', () => {
  it('the entry sources and week approvals are the gRPC contract’s, each once', () => {
    expect(ENTRY_SOURCES.map((s) => entryMessage(entry(s)).source).sort()).toEqual(
      known(timeTrackingV1.EntrySource).sort(),
    );
    expect(WEEK_APPROVALS.map((a) => weekMessage(week(a)).approval).sort()).toEqual(
      known(timeTrackingV1.WeekApproval).sort(),
    );
  });

  it('the limits the gRPC host enforces are the published ones, written from the domain’s LIMITS', () => {
    expect(HOSTED_LIMITS).toBe(TIME_TRACKING_REQUEST_LIMITS);
    expect(TIME_TRACKING_REQUEST_LIMITS.fields.correctEntry.reason).toEqual({
      maxLength: LIMITS.reasonLength,
      code: TIME_CODES.invalidReason,
    });
    expect(TIME_TRACKING_REQUEST_LIMITS.fields.deleteEntry.reason.maxLength).toBe(LIMITS.reasonLength);
    for (const fields of Object.values(TIME_TRACKING_REQUEST_LIMITS.fields))
      expect(fields.requestId).toEqual(REQUEST_ID_LIMIT);
    expect(LIMITS).toEqual({ maxMinutesPerTokyoDay: 720, reasonLength: 1_000 });
    expect(Object.isFrozen(LIMITS)).toBe(true);
  });

  it('the codes are stable and of this service', () => {
    expect(Object.values(TIME_CODES).every((code) => /^time\.[a-z_]+$/.test(code))).toBe(true);
    expect(new Set(Object.values(TIME_CODES)).size).toBe(Object.values(TIME_CODES).length);
  });

  it('publishes the catalogue of @workshare/contracts, producer time-tracking', () => {
    expect(PUBLISHED_EVENTS.every((e) => e.producer === 'time-tracking' && e.category === 'timesheet')).toBe(true);
  });
});
