/**
 * What the launcher prints for the accountant: where the audit page is (the gateway's `/audit`),
 * how she signs in, and the `workshare audit` commands that answer the demo's questions (the
 * closed month's reconciliation, its hand-offs, the verification of the log).
 */
import type { DemoMonth } from './demo-month.js';

export interface AuditBanner {
  /** The gateway's base URL. */
  readonly gatewayUrl: string;
  /** The audit's and identity's gRPC addresses (the CLI's --audit and --identity when not the defaults). */
  readonly auditAddress: string;
  readonly identityAddress: string;
  readonly accountantEmail: string;
  /** The demo accounts' password, when it is known (printed once, at the seed). */
  readonly password?: string;
  /** The demo's closed month, whose questions the commands ask. */
  readonly closedMonth?: DemoMonth;
}

const DEFAULT_AUDIT = '127.0.0.1:50064';
const DEFAULT_IDENTITY = '127.0.0.1:50051';

export const auditBannerLines = (banner: AuditBanner): string[] => {
  const where = [
    ...(banner.auditAddress !== DEFAULT_AUDIT ? [`--audit ${banner.auditAddress}`] : []),
    ...(banner.identityAddress !== DEFAULT_IDENTITY ? [`--identity ${banner.identityAddress}`] : []),
  ].join(' ');
  const cli = (args: string) => `    npx workshare audit ${args}${where === '' ? '' : ` ${where}`}`;
  const month = banner.closedMonth;
  const [year, monthNumber] = (month?.month ?? '').split('-');
  const lastDay =
    month === undefined ? '' : String(new Date(Date.UTC(Number(year), Number(monthNumber), 0)).getUTCDate());
  return [
    '',
    'The accountant reads the whole history and changes nothing (every question she asks is recorded):',
    `  audit page          ${banner.gatewayUrl}/audit  (sign in as ${banner.accountantEmail}${banner.password ? ` / ${banner.password}` : ''})`,
    `  CLI                 export WORKSHARE_EMAIL=${banner.accountantEmail} WORKSHARE_PASSWORD=${banner.password ?? '<her password>'}`,
    ...(month !== undefined
      ? [
          cli(`reconcile ${month.regionId} ${month.month}`),
          cli(`hand-offs ${month.regionId} ${month.month}-01 ${month.month}-${lastDay}`),
          cli(`history settlement ${month.regionId}.${month.month}`),
          cli(`corrections --region ${month.regionId} --format csv --encoding shift_jis --output corrections.csv`),
        ]
      : []),
    cli('verify'),
    '    npx workshare audit --help   (every question: history, who-held, timeline, as-of, search, queries, rebuild)',
  ];
};
