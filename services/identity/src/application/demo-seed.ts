import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandContext } from '@workshare/eventsourcing';
import type { AvailabilityWindow, Weekday } from '../domain/availability.js';
import type { ContractType } from '../domain/account.js';
import { corporateRegistrationNumber } from '../domain/registration-number.js';
import type { IdentityService, RegisterMemberInput } from './identity-service.js';
import type { BusinessView } from './views.js';

/**
 * The demo cooperative of Fujisato (藤里町), for the launcher: two teams' worth of members in
 * Fujikoto (藤琴) and Kasuge (粕毛), one of them made coordinator of the region (the hand-over
 * from Polaris staff to local people), three local businesses, each with its contact person
 * (a business user), an accountant and an operator. Every name, address, email and bank
 * account is invented (emails under the reserved `.example` domain, made-up bank accounts).
 * A plain workflow over the facade: whether a store may be seeded (once, on a store without
 * it) is the launcher's to decide.
 */
export interface DemoAccount {
  readonly role: string;
  readonly name: string;
  readonly email: string;
}

export interface DemoCooperative {
  readonly password: string;
  readonly accounts: readonly DemoAccount[];
  readonly businesses: readonly BusinessView[];
}

type DemoMember = {
  readonly key: string;
  readonly name: string;
  readonly kana: string;
  readonly town: 'fujikoto' | 'kasuge';
  readonly contractType: ContractType;
  readonly skills: readonly string[];
  readonly windows: readonly (readonly [string, string, string])[];
};

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const MEMBERS: readonly DemoMember[] = [
  {
    key: 'yoko.fujiwara',
    name: '藤原 陽子',
    kana: 'フジワラ ヨウコ',
    town: 'fujikoto',
    contractType: 'contractor',
    skills: ['transcription', 'data entry', 'coordination'],
    windows: [['weekdays', '09:30', '11:30']],
  },
  {
    key: 'misaki.kudo',
    name: '工藤 美咲',
    kana: 'クドウ ミサキ',
    town: 'fujikoto',
    contractType: 'employee',
    skills: ['data entry', 'proofreading'],
    windows: [
      ['weekdays', '13:00', '13:40'],
      ['weekdays', '21:00', '22:00'],
    ],
  },
  {
    key: 'kana.narita',
    name: '成田 加奈',
    kana: 'ナリタ カナ',
    town: 'fujikoto',
    contractType: 'contractor',
    skills: ['illustration', 'design'],
    windows: [
      ['tue', '10:00', '12:00'],
      ['thu', '10:00', '12:00'],
      ['sat', '20:30', '22:00'],
    ],
  },
  {
    key: 'yumi.komatsu',
    name: '小松 由美',
    kana: 'コマツ ユミ',
    town: 'fujikoto',
    contractType: 'employee',
    skills: ['data entry'],
    windows: [['weekdays', '12:45', '13:30']],
  },
  {
    key: 'sakura.kikuchi',
    name: '菊地 さくら',
    kana: 'キクチ サクラ',
    town: 'fujikoto',
    contractType: 'contractor',
    skills: ['translation', 'writing'],
    windows: [
      ['mon', '20:00', '22:00'],
      ['wed', '20:00', '22:00'],
      ['fri', '20:00', '22:00'],
    ],
  },
  {
    key: 'naoko.miura',
    name: '三浦 直子',
    kana: 'ミウラ ナオコ',
    town: 'fujikoto',
    contractType: 'contractor',
    skills: ['transcription'],
    windows: [['weekdays', '14:00', '15:00']],
  },
  {
    key: 'megumi.hatakeyama',
    name: '畠山 恵',
    kana: 'ハタケヤマ メグミ',
    town: 'kasuge',
    contractType: 'employee',
    skills: ['data entry', 'spreadsheets'],
    windows: [
      ['weekdays', '10:00', '11:00'],
      ['weekdays', '21:30', '22:30'],
    ],
  },
  {
    key: 'rina.sato',
    name: '佐藤 里奈',
    kana: 'サトウ リナ',
    town: 'kasuge',
    contractType: 'contractor',
    skills: ['writing', 'proofreading'],
    windows: [
      ['tue', '13:00', '15:00'],
      ['thu', '13:00', '15:00'],
    ],
  },
  {
    key: 'chiharu.ito',
    name: '伊藤 千春',
    kana: 'イトウ チハル',
    town: 'kasuge',
    contractType: 'contractor',
    skills: ['design', 'illustration'],
    windows: [
      ['sat', '09:00', '11:00'],
      ['sun', '09:00', '11:00'],
    ],
  },
  {
    key: 'tomoko.suzuki',
    name: '鈴木 智子',
    kana: 'スズキ トモコ',
    town: 'kasuge',
    contractType: 'employee',
    skills: ['transcription', 'data entry'],
    windows: [['weekdays', '13:10', '13:50']],
  },
  {
    key: 'mai.saito',
    name: '斎藤 舞',
    kana: 'サイトウ マイ',
    town: 'kasuge',
    contractType: 'contractor',
    skills: ['translation'],
    windows: [
      ['mon', '21:00', '23:00'],
      ['thu', '21:00', '23:00'],
    ],
  },
  {
    key: 'ryo.shindo',
    name: '進藤 亮',
    kana: 'シンドウ リョウ',
    town: 'kasuge',
    contractType: 'employee',
    skills: ['data entry', 'photography'],
    windows: [['weekdays', '16:00', '17:00']],
  },
];

const COORDINATOR = 'yoko.fujiwara';
/** Who, in the demo, takes work down for local businesses and runs Fujisato's jobs. */
export const DEMO_COORDINATOR_EMAIL = `${COORDINATOR}@fujisato.example`;

const USERS = {
  operator: { name: '北村 彩', email: 'aya.kitamura@polaris.example' },
  accountant: { name: '佐々木 誠', email: 'makoto.sasaki@accounting.example' },
} as const;

/**
 * The three businesses, each with its contact person (a business user acting for it). Invented
 * corporate numbers: bases starting 9901, a registry office code no office has.
 */
const BUSINESSES = [
  {
    name: '白神ウッドワークス株式会社',
    base: '990101000001',
    contact: { name: '高橋 健', email: 'ken.takahashi@shirakami-woodworks.example' },
  },
  {
    name: '藤琴川まいたけ合同会社',
    base: '990101000002',
    contact: { name: '小山 里美', email: 'satomi.koyama@fujikotogawa-maitake.example' },
  },
  {
    name: '粕毛ふるさと観光有限会社',
    base: '990101000003',
    contact: { name: '武田 浩二', email: 'koji.takeda@kasuge-kanko.example' },
  },
] as const;
/** The business users, in the businesses' order. */
export const DEMO_BUSINESS_USER_EMAILS: readonly string[] = BUSINESSES.map((b) => b.contact.email);
/** The first demo business's user (白神ウッドワークス). */
export const DEMO_BUSINESS_USER_EMAIL = DEMO_BUSINESS_USER_EMAILS[0]!;

const memberEmail = (m: DemoMember) => `${m.key}@fujisato.example`;

const windowsOf = (m: DemoMember): AvailabilityWindow[] =>
  m.windows.flatMap(([day, start, end]) =>
    (day === 'weekdays' ? WEEKDAYS : [day as Weekday]).map((d) => ({ day: d, start, end })),
  );

/** Every demo account, as the seed registers them (for printing, also when the seed is not run). */
export const demoAccounts = (): DemoAccount[] => [
  { role: 'operator (Polaris)', name: USERS.operator.name, email: USERS.operator.email },
  ...MEMBERS.map((m) => ({
    role:
      m.key === COORDINATOR
        ? 'member, coordinator of fujisato'
        : `member (${m.town === 'fujikoto' ? 'Fujikoto 藤琴' : 'Kasuge 粕毛'})`,
    name: m.name,
    email: memberEmail(m),
  })),
  { role: 'accountant', name: USERS.accountant.name, email: USERS.accountant.email },
  ...BUSINESSES.map((b) => ({ role: `business user (${b.name})`, name: b.contact.name, email: b.contact.email })),
];

const memberInput = (m: DemoMember, index: number): RegisterMemberInput => ({
  name: m.name,
  address: `秋田県山本郡藤里町${m.town === 'fujikoto' ? '藤琴' : '粕毛'} デモ番地${index + 1}`,
  email: memberEmail(m),
  password: '',
  bankAccount: {
    bankCode: '9999',
    branchCode: m.town === 'fujikoto' ? '001' : '002',
    type: 'ordinary',
    number: String(1000001 + index).padStart(7, '0'),
    holder: m.kana,
  },
  townId: `fujisato/${m.town}`,
  contractType: m.contractType,
  skills: m.skills,
  availability: windowsOf(m),
});

/**
 * Seeds the demo cooperative through the service's own API, as its people would: the first
 * operator (the bootstrap), then Polaris's operator and the local coordinator, each signed in,
 * each command with a request id of its own. All demo accounts share one password:
 * `options.password`, or a random one returned with the accounts (print it: it is not stored
 * anywhere in clear). Run it on a store without the demo (the launcher's guard decides that):
 * on one that has it, the first operator's bootstrap refuses (`identity.already_bootstrapped`).
 */
export const seedDemoCooperative = async (
  service: IdentityService,
  options: { password?: string } = {},
): Promise<DemoCooperative> => {
  const password = options.password ?? `demo-${randomBytes(9).toString('base64url')}`;
  const signIn = async (email: string): Promise<(requestId?: string) => CommandContext> => {
    const { actor } = await service.login(email, password);
    return (requestId = randomUUID()) => ({ actor, requestId });
  };

  await service.bootstrapOperator({ ...USERS.operator, password });
  const operator = await signIn(USERS.operator.email);

  // Fujikoto first, by Polaris's operator; then the hand-over: a local member becomes the coordinator...
  const ids = new Map<string, string>();
  for (const [index, m] of MEMBERS.entries()) {
    if (m.town !== 'fujikoto') continue;
    ids.set(m.key, (await service.registerMember(operator(), { ...memberInput(m, index), password })).memberId);
  }
  await service.grantRole(operator(), {
    accountId: ids.get(COORDINATOR)!,
    role: { kind: 'coordinator', regionId: 'fujisato' },
    reason: 'hand-over: running the Fujisato cooperative passes from Polaris staff to a local member',
  });
  const coordinator = await signIn(DEMO_COORDINATOR_EMAIL);

  // ...who registers the Kasuge team and the local businesses herself.
  for (const [index, m] of MEMBERS.entries()) {
    if (m.town !== 'kasuge') continue;
    await service.registerMember(coordinator(), { ...memberInput(m, index), password });
  }
  const businesses: BusinessView[] = [];
  for (const b of BUSINESSES) {
    businesses.push(
      await service.registerBusiness(coordinator(), {
        name: b.name,
        registrationNumber: corporateRegistrationNumber(b.base),
        regionId: 'fujisato',
      }),
    );
  }

  const { userId: accountantId } = await service.registerUser(operator(), { ...USERS.accountant, password });
  await service.grantRole(operator(), {
    accountId: accountantId,
    role: { kind: 'accountant' },
    reason: 'the cooperative’s accountant (税理士)',
  });
  for (const [index, b] of BUSINESSES.entries()) {
    const { userId } = await service.registerUser(operator(), { ...b.contact, password });
    await service.grantRole(operator(), {
      accountId: userId,
      role: { kind: 'business', businessId: businesses[index]!.businessId },
      reason: 'contact person of the business',
    });
  }

  return { password, accounts: demoAccounts(), businesses };
};
