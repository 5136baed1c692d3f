import type { AuditResults } from '@workshare/audit/contract';
import fc from 'fast-check';
import { AUDIT_VIEWS, auditTime } from '../../src/adapters/http/audit-views.js';

const holding = {
  memberId: 'm-1',
  memberName: { kind: 'text', text: '佐藤 ゆき' },
  from: '2026-11-04T00:30:00.000Z',
  to: null,
  position: '12/12',
} as const;

describe('the audit service’s answers as the API gives them', () => {
  it('shows every instant the service answers in UTC in Tokyo time, the same instant (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T14:59:59Z'), noInvalidDate: true }),
        (instant) => {
          const shown = auditTime(instant.toISOString(), 'time');
          expect(shown).toMatch(/\+09:00$/);
          expect(new Date(shown).getTime()).toBe(instant.getTime());
        },
      ),
    );
  });

  it('refuses an answer whose time is no time as the service’s fault (a 500), naming what', () => {
    for (const bad of ['', 'yesterday', '2026-13-01T00:00:00Z'])
      expect(() => auditTime(bad, 'close time')).toThrow(
        expect.objectContaining({ name: 'UpstreamContractError', message: expect.stringContaining('close time') }),
      );
  });

  it('a timeline: holds and hand-offs in +09:00, redacted and withheld texts kept as such (no text)', () => {
    const timeline: AuditResults['jobTimeline'] = {
      jobId: 'j-1',
      title: 'カタログ',
      regionId: 'fujisato',
      tasks: [
        {
          taskId: 't-1',
          title: '紹介文',
          spans: [
            holding,
            { ...holding, memberId: 'm-2', memberName: { kind: 'redacted' }, to: '2026-11-05T01:00:00Z' },
          ],
          handOffs: [
            {
              at: '2026-11-05T01:00:00.000Z',
              atTokyo: '2026-11-05 10:00',
              regionId: 'fujisato',
              jobId: 'j-1',
              taskId: 't-1',
              fromMemberId: 'm-2',
              toMemberId: 'm-1',
              by: 'm-2',
              reason: { kind: 'withheld' },
              progressNote: null,
              position: '13/13',
            },
          ],
        },
      ],
    };
    const view = AUDIT_VIEWS.jobTimeline(timeline);
    expect(view.tasks[0]!.spans.map((s) => [s.from, s.to, s.memberName])).toEqual([
      ['2026-11-04T09:30:00.000+09:00', null, { kind: 'text', text: '佐藤 ゆき' }],
      ['2026-11-04T09:30:00.000+09:00', '2026-11-05T10:00:00.000+09:00', { kind: 'redacted' }],
    ]);
    expect(view.tasks[0]!.handOffs[0]).toEqual(
      expect.objectContaining({ at: '2026-11-05T10:00:00.000+09:00', reason: { kind: 'withheld' } }),
    );
    expect(view.tasks[0]!.handOffs[0]).not.toHaveProperty('atTokyo');
  });

  it('a verification: its seal and its time in +09:00, its breaks as they are', () => {
    const report: AuditResults['verification'] = {
      status: 'broken',
      checkedEvents: 10,
      sealsChecked: 1,
      lastSeal: { sequence: 1, position: '8/8', sealedAt: '2026-11-30T15:00:00.000Z' },
      unsealedEvents: 2,
      breaks: [
        {
          kind: 'changed',
          streamName: 'job-1',
          streamVersion: 2,
          position: '5/5',
          eventId: 'e-5',
          reason: 'its hash does not match its content',
        },
      ],
      verifiedAt: '2026-12-01T00:00:00.000Z',
      range: { fromSeal: null, toSeal: 1 },
      running: { checkedEvents: 4, startedAt: '2026-12-01T00:01:00.000Z' },
    };
    expect(AUDIT_VIEWS.verification(report)).toEqual({
      ...report,
      lastSeal: { sequence: 1, position: '8/8', sealedAt: '2026-12-01T00:00:00.000+09:00' },
      verifiedAt: '2026-12-01T09:00:00.000+09:00',
      running: { checkedEvents: 4, startedAt: '2026-12-01T09:01:00.000+09:00' },
    });
  });
});
