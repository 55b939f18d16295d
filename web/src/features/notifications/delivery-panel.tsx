import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../core/contracts/cases';
import { ReplyChannelSchema, type DeliveryStatus, type ReplyChannel } from '../../../../core/contracts/notifications';
import { useMe } from '../../api/queries';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import './notifications.css';
import { useDelivery, useSetReplyPreference } from './notifications-api';

/**
 * 회신 방법 and 회신 현황 on the case (issue #11 §4): how the citizen wants the department's answer (the agent
 * records it at the call, with consent), and whether and how the citizen was told.
 */
export function DeliveryPanel({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const delivery = useDelivery(detail.id);
  const handOff = detail.handOff;
  if (!handOff) return null;
  const isFrozen = handOff.status === 'answered' || handOff.status === 'closed';
  const canEdit = (me?.role === 'agent' || me?.role === 'supervisor') && !isFrozen && handOff.status !== 'returned';
  return (
    <section className="case-detail__section" aria-labelledby="cd-delivery">
      <h3 id="cd-delivery" className="section-title">
        {t('notify.delivery')}
      </h3>
      <ErrorNotice error={delivery.error} onRetry={() => void delivery.refetch()} />
      {delivery.data && <DeliveryLine status={delivery.data} isAnswered={isFrozen} />}
      {canEdit && <ReplyPreferenceForm caseId={detail.id} current={delivery.data?.preference ?? null} />}
    </section>
  );
}

function DeliveryLine({ status, isAnswered }: { status: DeliveryStatus; isAnswered: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pref = status.preference;
  return (
    <div className="delivery" role="status">
      <p>
        <strong>{t('notify.preference')}: </strong>
        {pref ? `${t(`notify.channel.${pref.channel}`)}${pref.consent || pref.channel === 'none' ? '' : ` (${t('notify.consent')} ✕)`}` : t('notify.notRecorded')}
      </p>
      <p className="strong">
        {status.toldChannel === 'declined'
          ? t('notify.declined', { at: f.dateTime(status.toldAt) })
          : status.toldChannel
            ? t('notify.toldBy', { at: f.dateTime(status.toldAt), channel: t(`notify.told.${status.toldChannel}`) })
            : isAnswered
              ? t('notify.answeredNotTold')
              : t('notify.waiting')}
      </p>
      {status.messages.length > 0 && (
        <ul className="plain-list small">
          {status.messages.map((m) => (
            <li key={m.id}>
              {m.kind === 'handoff_extended' && `${t('handoffLife.extensionNotice')} · `}
              {t(`notify.channel.${m.channel}`)} · <span className={`badge badge--${m.status === 'sent' ? 'ok' : m.status === 'failed' ? 'danger' : 'info'}`}>{t(`notify.status.${m.status}`)}</span>{' '}
              {t('notify.attempts', { attempts: m.attempts, max: m.maxAttempts })}
              {m.sentAt && ` · ${f.dateTime(m.sentAt)}`}
              {m.nextAttemptAt && ` · ${t('notify.nextAttempt', { at: f.dateTime(m.nextAttemptAt) })}`}
              {m.lastError && m.status !== 'sent' && <span className="muted"> · {m.lastError}</span>}
            </li>
          ))}
        </ul>
      )}
      {status.callbackTasks.length > 0 && (
        <ul className="plain-list small">
          {status.callbackTasks.map((c) => (
            <li key={c.id}>
              {t('notify.callbackTask')} · {t(`notify.taskStatus.${c.status}`)} · {t(`notify.reason.${c.reason}`)} · {f.dateTime(c.doneAt ?? c.createdAt)}
              {c.attempts > 0 && ` · ${t('notify.taskAttempts', { attempts: c.attempts, max: c.maxAttempts })}`}
              {c.nextAttemptAt && ` · ${t('notify.nextAttempt', { at: f.dateTime(c.nextAttemptAt) })}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ReplyPreferenceForm({ caseId, current }: { caseId: string; current: DeliveryStatus['preference'] }) {
  const { t } = useTranslation();
  const save = useSetReplyPreference(caseId);
  const [channel, setChannel] = useState<ReplyChannel>(current?.channel ?? 'sms');
  const [consent, setConsent] = useState(current?.consent ?? false);
  const [address, setAddress] = useState('');
  const needsAddress = channel !== 'none';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ channel, consent: channel === 'none' ? false : consent, ...(needsAddress && address.trim() ? { address: address.trim() } : {}) });
  };
  return (
    <form className="reply-pref" onSubmit={submit} aria-label={t('notify.preference')}>
      <fieldset>
        <legend className="small muted">{t('notify.preferenceNote')}</legend>
        {ReplyChannelSchema.options.map((c) => (
          <label key={c} className="radio">
            <input type="radio" name={`reply-${caseId}`} value={c} checked={channel === c} onChange={() => setChannel(c)} /> {t(`notify.channel.${c}`)}
          </label>
        ))}
      </fieldset>
      {needsAddress && (
        <label className="field">
          <span>{t('notify.address')}</span>
          <input
            type={channel === 'email' ? 'email' : 'tel'}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={channel === 'email' ? t('notify.addressEmailHint') : t('notify.addressPhoneHint')}
            required={channel === 'email'}
            maxLength={254}
          />
        </label>
      )}
      {needsAddress && (
        <label className="checkbox">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('notify.consent')}
        </label>
      )}
      <button type="submit" className="btn btn--primary btn--small" disabled={save.isPending}>
        {t('notify.save')}
      </button>
      {save.data && <span role="status">{t('notify.saved', { channel: `${t(`notify.channel.${save.data.channel}`)}${save.data.address ? ` ${save.data.address}` : ''}` })}</span>}
      <ErrorNotice error={save.error} />
    </form>
  );
}
