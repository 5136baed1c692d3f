import type { RecordedEvent } from '@workshare/eventsourcing';

/**
 * One line in Japanese saying what an event did, for the history's readers
 * (「タスクを引き継ぎ: 佐藤 → 鈴木」). Names come from `nameOf` (a forgotten member's is shown as
 * redacted by the caller); an unknown type is named as it is.
 */

type Data = Record<string, unknown>;

const s = (data: Data, key: string): string => {
  const value = data[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
};

const yen = (value: unknown): string => {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return /^-?\d+$/.test(text) ? `${Number(text).toLocaleString('ja-JP')}円` : text;
};

const count = (data: Data, key: string): number => (Array.isArray(data[key]) ? (data[key] as unknown[]).length : 0);

export const summaryOf = (
  event: Pick<RecordedEvent, 'type' | 'data' | 'streamName'>,
  nameOf: (id: string) => string,
): string => {
  const d = event.data as Data;
  const who = (key: string): string => (s(d, key) === '' ? '—' : nameOf(s(d, key)));
  switch (event.type) {
    case 'JobSubmitted':
      return `仕事の依頼: ${s(d, 'title')}（${yen(d.amountYen)}）`;
    case 'JobQuoted':
      return `見積: ${yen(d.amountYen)}、${s(d, 'estimatedMinutes')}分、納期 ${s(d, 'deliveryDate').slice(0, 10)}`;
    case 'JobAccepted':
      return `見積を承諾: ${s(d, 'title')}`;
    case 'QuoteDeclined':
      return '見積を辞退';
    case 'JobStarted':
      return '作業開始';
    case 'JobDelivered':
      return '納品';
    case 'JobInspected':
      return d.accepted === true ? '検収: 合格' : '検収: 差し戻し';
    case 'JobClosed':
      return '仕事を完了';
    case 'JobCancelled':
      return '仕事を取り消し';
    case 'PlanProposed':
      return `作業計画の提案: タスク ${count(d, 'tasks')} 件`;
    case 'PlanRevised':
      return `作業計画の修正: タスク ${count(d, 'tasks')} 件`;
    case 'TasksPlanned':
      return `作業計画の確定: タスク ${count(d, 'tasks')} 件`;
    case 'ReworkRequested':
      return '手直しを依頼';
    case 'PlanCancelled':
      return '作業計画を取り消し';
    case 'TasksReceived':
      return `タスクを受領: ${count(d, 'tasks')} 件`;
    case 'TaskAssigned':
      return `タスクを割り当て: ${who('memberId')}`;
    case 'TaskUnassignable':
      return 'タスクを割り当てできず';
    case 'TaskReleased':
      return `タスクを手放し: ${who('memberId')}`;
    case 'TaskHandedOff':
      return `タスクを引き継ぎ: ${who('fromMemberId')} → ${who('toMemberId')}`;
    case 'AssignmentOverridden':
      return `担当を変更: ${who('fromMemberId')} → ${who('toMemberId')}`;
    case 'TraineePaired':
      return `研修の同行: ${who('traineeMemberId')}`;
    case 'JobShared':
      return `他地域と共有: ${s(d, 'partnerRegionId')}`;
    case 'JobInspectionRecorded':
      return d.accepted === true ? '検収結果を記録: 合格' : '検収結果を記録: 差し戻し';
    case 'JobCancelledRecorded':
      return '取り消しを記録';
    case 'MemberJoinedTeam':
      return `チームに参加: ${who('memberId')}`;
    case 'MemberLeftTeam':
      return `チームを離脱: ${who('memberId')}`;
    case 'MemberAvailabilityChanged':
    case 'MemberAvailabilityUpdated':
      return '稼働可能時間を変更';
    case 'WishedHoursSet':
      return `希望時間を設定: 週 ${s(d, 'minutesPerWeek')} 分`;
    case 'SkillGranted':
      return `スキルを付与: ${s(d, 'skill')}`;
    case 'UnavailabilityDeclared':
      return `不在を申告: ${s(d, 'from').slice(0, 10)} 〜 ${s(d, 'to').slice(0, 10)}`;
    case 'TimerStarted':
      return '作業タイマー開始';
    case 'TimerDiscarded':
      return '作業タイマーを破棄';
    case 'TimeEntryRecorded':
      return `作業時間を記録: ${s(d, 'minutes')}分`;
    case 'TimeEntryCorrected':
      return `作業時間を訂正: ${s(d, 'minutes')}分`;
    case 'TimeEntryDeleted':
      return '作業時間を削除';
    case 'TaskMarkedDone':
      return 'タスク完了';
    case 'WeekApproved':
      return `週の承認: ${s(d, 'weekStart')}（${count(d, 'entries')} 件）`;
    case 'WeekReopened':
      return `週の承認を取り消し: ${s(d, 'weekStart')}`;
    case 'MemberRegistered':
      return 'メンバー登録';
    case 'UserRegistered':
      return '利用者登録';
    case 'RoleGranted':
      return `役割を付与: ${roleName(d.role)}`;
    case 'RoleRevoked':
      return `役割を取り消し: ${roleName(d.role)}`;
    case 'MemberForgotten':
    case 'UserForgotten':
      return '個人情報を消去';
    case 'BusinessRegistered':
      return `事業者登録: ${s(d, 'name')}`;
    case 'RegionConfigured':
      return '地域の精算設定';
    case 'PayeeRegistered':
      return '適格請求書発行事業者番号を登録';
    case 'InvoicesIssued':
      return `請求書を発行: ${count(d, 'invoices')} 件`;
    case 'StatementsIssued':
      return `支払通知書を発行: ${count(d, 'statements')} 件`;
    case 'JobsSettled':
      return `仕事を精算: ${count(d, 'jobs')} 件`;
    case 'JournalRecorded':
      return `仕訳を記録: ${count(d, 'journal')} 件`;
    case 'MonthClosed':
      return `月次締め: ${s(d, 'month')}（請求 ${count(d, 'invoices')} 件、支払 ${count(d, 'statements')} 件）`;
    case 'AuditQueried':
      return `監査の照会: ${s(d, 'query')}`;
    default:
      return event.type;
  }
};

const ROLE_NAMES: Readonly<Record<string, string>> = {
  member: 'メンバー',
  coordinator: 'コーディネーター',
  business: '事業者',
  accountant: '会計担当',
  operator: '運営',
};

const roleName = (role: unknown): string => {
  if (typeof role !== 'object' || role === null) return '';
  const r = role as Data;
  const name = ROLE_NAMES[s(r, 'kind')] ?? s(r, 'kind');
  const where = s(r, 'regionId');
  return where === '' ? name : `${name}（${where}）`;
};
