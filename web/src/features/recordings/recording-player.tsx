import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useRecordingAudio, type RecordingItem } from './recordings-api';

/**
 * 듣기 (issue #17 §3): the same dialog as revealing a masked number (features/privacy/reveal-value.tsx): a short
 * required reason, written with the access record by the server, then the player. The WAV lives only in an object URL
 * of this dialog, revoked when it closes; listening again asks the reason again.
 */
export function RecordingPlayer({ item, onClose }: { item: RecordingItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const audio = useRecordingAudio();
  const player = useRef<HTMLAudioElement>(null);
  const reset = audio.reset;

  useEffect(() => {
    setReason('');
    setFormError(null);
    setUrl(null);
    reset();
  }, [item?.id, reset]);
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url]);
  useEffect(() => {
    if (url) player.current?.focus();
  }, [url]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    if (reason.trim().length < 2) {
      setFormError(t('recordings.needReason'));
      return;
    }
    setFormError(null);
    audio.mutate({ id: item.id, reason: reason.trim() }, { onSuccess: setUrl });
  };

  const subtitle = item ? [f.dateTime(item.startedAt), item.agentName, item.callerMasked].filter(Boolean).join(' · ') : undefined;
  return (
    <Dialog open={item !== null} title={t('recordings.dialogTitle')} subtitle={subtitle} onClose={onClose}>
      {url ? (
        <div className="recording-player">
          <audio ref={player} controls src={url} aria-label={t('recordings.player')} className="recording-player__audio" />
          <p className="field-hint recording-player__note">{t('recordings.playerNote')}</p>
        </div>
      ) : (
        <form className="form" onSubmit={submit}>
          <p className="field-hint recording-player__note">{t('recordings.dialogLead')}</p>
          <div className="field">
            <label htmlFor="recording-reason">{t('recordings.reason')}</label>
            <input
              id="recording-reason"
              value={reason}
              maxLength={200}
              aria-required="true"
              autoComplete="off"
              placeholder={t('recordings.reasonHint')}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={formError ? true : undefined}
              aria-describedby={formError ? 'recording-reason-error' : undefined}
            />
            {formError && (
              <p id="recording-reason-error" className="field-error">
                {formError}
              </p>
            )}
          </div>
          <ErrorNotice error={audio.error} />
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={audio.isPending}>
              {audio.isPending ? t('recordings.loading') : t('recordings.confirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
