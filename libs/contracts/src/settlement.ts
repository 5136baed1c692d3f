/**
 * Settlement's published events (streams `settlement-<regionId>.<YYYY-MM>`, category
 * `settlement`): the close of one region's Tokyo month. What the audit and other services may
 * rely on is a summary: the month, when it was closed, its totals, the invoices (number,
 * business, amount due) and the payment statements (number, member, payable). The event as
 * stored holds more (the configuration, findings, the counts of the close's parts): those fields
 * are settlement's own and may change, as are the events before it in the same append that hold
 * the documents themselves (InvoicesIssued, StatementsIssued, JobsSettled, JournalRecorded: not
 * published). No personal data is in it (names, addresses and bank accounts stay in identity).
 *
 * Money is integer yen as a decimal string (negative where the model allows it: what the
 * cooperative keeps after minimum-wage top-ups, a payable reduced by adjustments); times ISO-8601
 * UTC. The event's stream id is `<regionId>.<month>` (no id field: read it from `streamId`).
 */
import { Type } from 'typebox';
import { publishedEvent } from './published.js';

const PRODUCER = 'settlement';
const CATEGORY = 'settlement';

/** Integer yen as a decimal string, possibly negative or zero. */
const signedYen = (description: string) => Type.String({ pattern: '^(0|-?[1-9]\\d*)$', description });

export const PUBLISHED_MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

export const MonthClosedV1 = publishedEvent({
  producer: PRODUCER,
  type: 'MonthClosed',
  schemaVersion: 1,
  category: CATEGORY,
  schema: Type.Object(
    {
      regionId: Type.String({ minLength: 1, description: 'The region whose month closed.' }),
      month: Type.String({ pattern: PUBLISHED_MONTH_PATTERN, description: 'The Tokyo month, `YYYY-MM`.' }),
      closedAt: Type.String({
        format: 'date-time',
        description: 'When the close was decided: the documents’ issue date.',
      }),
      payDay: Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'The Tokyo day the month’s transfers are made.',
      }),
      totals: Type.Object(
        {
          billedYen: signedYen('What the month bills, tax excluded (adjustments of earlier months included).'),
          taxYen: signedYen('The invoices’ consumption tax.'),
          marginYen: signedYen('What the cooperative keeps of what it billed, before minimum-wage top-ups.'),
          topUpYen: signedYen('Minimum-wage top-ups paid out of the margin.'),
          keptYen: signedYen('margin − top-ups.'),
          payableYen: signedYen('What the statements pay, in total.'),
        },
        { description: 'The month’s totals.' },
      ),
      invoices: Type.Array(
        Type.Object({
          invoiceNumber: Type.String({ description: '`INV-<region>-<YYYYMM>-<nnn>`.' }),
          recipient: Type.Object({ businessId: Type.String({ minLength: 1 }) }),
          amountDueYen: signedYen('Tax included, less the 返還 part.'),
        }),
        { description: 'One qualified invoice per business billed.' },
      ),
      statements: Type.Array(
        Type.Object({
          statementNumber: Type.String({ description: '`PAY-<region>-<YYYYMM>-<nnnn>`.' }),
          memberId: Type.String({ minLength: 1 }),
          payableYen: signedYen('fee + tax − withholding + top-up.'),
        }),
        { description: 'One payment statement per member paid.' },
      ),
      inputDigest: Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of the canonical JSON of the facts the close was computed from.',
      }),
    },
    {
      description:
        'A region’s Tokyo month was closed: it never changes; later corrections are adjustments of a later close.',
    },
  ),
});

/** Every event settlement publishes, each type at each version. */
export const SETTLEMENT_PUBLISHED_EVENTS = [MonthClosedV1] as const;
