import { KST_OFFSET_MS } from '../../../core/domain/kst';
import { DEFAULT_TEMPLATES, OUTBOX_MAX_ATTEMPTS, fitTextMessage, renderTemplate, type TemplateKey } from '../../../core/domain/notifications';
import { formatPhone } from '../../../core/domain/phone';
import type { Db } from '../../db/database';
import type { Vault } from '../../lib/vault';
import { findAnswerContext, findReplyPreference, findTemplateRow } from '../notifications/notifications.repository';
import { enqueueMessage } from '../notifications/outbox.repository';

/** The outbox kind of the extension notice (no follow-up on delivery: the hand-off stays open). */
export const HANDOFF_EXTENDED = 'handoff_extended';

const WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];

/** "12월 9일(화) 18시": a due time as a citizen reads it (KST). */
export function dueWords(iso: string): string {
  const d = new Date(Date.parse(iso) + KST_OFFSET_MS);
  const minutes = d.getUTCMinutes();
  return `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일(${WEEKDAYS[d.getUTCDay()]}) ${d.getUTCHours()}시${minutes ? ` ${minutes}분` : ''}`;
}

function dayWords(iso: string): string {
  const d = new Date(Date.parse(iso) + KST_OFFSET_MS);
  return `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일`;
}

async function templateOf(db: Db, key: TemplateKey) {
  const row = await findTemplateRow(db, key);
  return row ? { subject: row.subject, body: row.body } : DEFAULT_TEMPLATES[key];
}

/**
 * 연장 안내 (complaints-kr.md §1.2: the citizen is told the reason and the new date), queued in the extension's
 * transaction through the notifications outbox, by the reply preference recorded at the call: e-mail to the address,
 * SMS to the number of an SMS or callback preference (a callback for a date is not worth an agent's call). No message
 * when the citizen declined contact or no preference with consent was recorded: the answer returns `null` and the
 * extension's event says so. The idempotency key is the hand-off: there is one extension.
 */
export async function queueExtensionNotice(trx: Db, vault: Vault, h: { handOffId: string; caseId: string; at: string; newDueAt: string; reason: string }): Promise<'sms' | 'email' | null> {
  const pref = await findReplyPreference(trx, h.caseId);
  if (!pref || pref.channel === 'none' || !pref.consent || !pref.address_sealed) return null;
  const ctx = await findAnswerContext(trx, h.handOffId);
  if (!ctx) return null;
  const values = {
    접수번호: ctx.case_number,
    접수일: dayWords(ctx.case_created_at),
    분류: ctx.category_name ?? '문의',
    부서: ctx.department_name,
    답변: '',
    처리기한: dueWords(h.newDueAt),
    연장사유: h.reason,
  };
  const address = vault.open(pref.address_sealed);
  const channel = pref.channel === 'email' ? 'email' : 'sms';
  let payload: Record<string, unknown>;
  if (channel === 'sms') {
    const fitted = fitTextMessage(renderTemplate((await templateOf(trx, 'handoff_extended.sms')).body, values));
    payload = { to: formatPhone(address).replace(/\D/g, ''), text: fitted.text, smsKind: fitted.kind };
  } else {
    const t = await templateOf(trx, 'handoff_extended.email');
    payload = { to: address, subject: renderTemplate(t.subject ?? '', values), text: renderTemplate(t.body, values) };
  }
  await enqueueMessage(trx, {
    kind: HANDOFF_EXTENDED,
    channel,
    payloadSealed: vault.seal(JSON.stringify(payload)),
    idempotencyKey: `${HANDOFF_EXTENDED}:${h.handOffId}`,
    maxAttempts: OUTBOX_MAX_ATTEMPTS,
    at: h.at,
    caseId: h.caseId,
    handOffId: h.handOffId,
  });
  return channel;
}
