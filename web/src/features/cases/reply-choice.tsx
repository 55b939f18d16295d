import { useTranslation } from 'react-i18next';
import { ReplyChannelSchema, type ReplyChannel } from '../../../../core/contracts/notifications';

/** What the agent chose for 회신 방법 on the case form; channel null = decided later (on the case detail). */
export type ReplyChoiceValue = { channel: ReplyChannel | null; consent: boolean; address: string };
export const NO_REPLY_CHOICE: ReplyChoiceValue = { channel: null, consent: false, address: '' };

/** The body part of POST /api/cases for a choice, or nothing when none was made. */
export function replyPreferenceOf(v: ReplyChoiceValue) {
  if (!v.channel) return undefined;
  if (v.channel === 'none') return { channel: v.channel, consent: false };
  return { channel: v.channel, consent: v.consent, ...(v.address.trim() ? { address: v.address.trim() } : {}) };
}

/**
 * 회신 방법 on the case form (#18 item 6): how the citizen wants the department's answer, recorded with the hand-off.
 * Left at 나중에 정함, it can be set on the case detail until the answer is in.
 */
export function ReplyChoice({ value, onChange, error }: { value: ReplyChoiceValue; onChange: (v: ReplyChoiceValue) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const needsAddress = value.channel !== null && value.channel !== 'none';
  return (
    <fieldset className="reply-choice">
      <legend className="field-label">{t('notify.preference')}</legend>
      <div className="reply-choice__row">
        <label className="visually-hidden" htmlFor="case-reply-channel">
          {t('notify.preference')}
        </label>
        <select id="case-reply-channel" value={value.channel ?? ''} onChange={(e) => onChange({ ...value, channel: e.target.value ? (e.target.value as ReplyChannel) : null })}>
          <option value="">{t('oneStop.reply.later')}</option>
          {ReplyChannelSchema.options.map((c) => (
            <option key={c} value={c}>
              {t(`notify.channel.${c}`)}
            </option>
          ))}
        </select>
        {needsAddress && (
          <>
            <label className="visually-hidden" htmlFor="case-reply-address">
              {t('notify.address')}
            </label>
            <input
              id="case-reply-address"
              type={value.channel === 'email' ? 'email' : 'tel'}
              maxLength={254}
              autoComplete="off"
              value={value.address}
              placeholder={value.channel === 'email' ? t('notify.addressEmailHint') : t('notify.addressPhoneHint')}
              onChange={(e) => onChange({ ...value, address: e.target.value })}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'case-reply-error' : undefined}
            />
          </>
        )}
      </div>
      {needsAddress && (
        <label className="checkbox">
          <input type="checkbox" checked={value.consent} onChange={(e) => onChange({ ...value, consent: e.target.checked })} /> {t('notify.consent')}
        </label>
      )}
      {error && (
        <p id="case-reply-error" className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
