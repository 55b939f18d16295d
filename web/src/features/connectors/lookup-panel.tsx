import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LookupOption } from '../../../../core/contracts/connectors';
import { identifierRegExp } from '../../../../core/domain/connectors';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../components/notice';
import { useFormat } from '../../lib/use-format';
import { useDeskLookups, useRunLookup } from './connectors-api';
import './connectors.css';

/**
 * 부서 시스템 조회 on the desk (issue #16 §2), during a call only: pick the system, type the identifier (checked here
 * against the look-up's format, and again by the server: an invalid one never leaves OneCall), tick the caller's
 * consent, see the labelled result. The result lives in this panel's memory until the next look-up or the call ends;
 * nothing of it is stored. A system marked down is shown at once, before anyone tries.
 */
export function LookupPanel({ contactId, callActive }: { contactId: string | null; callActive: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const liveId = callActive ? contactId : null;
  const lookups = useDeskLookups(liveId !== null);
  const run = useRunLookup();
  const [pickedId, setPickedId] = useState<string>('');
  const [identifier, setIdentifier] = useState('');
  const [consent, setConsent] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [tried, setTried] = useState(false);

  const selectRef = useRef<HTMLSelectElement>(null);

  // Alt+L focuses the system list (the desk's other shortcuts are the desk's; this one is the panel's own).
  useEffect(() => {
    if (!liveId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyL') {
        e.preventDefault();
        selectRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [liveId]);

  // A new call (or its end) starts clean: no result of the last caller stays on screen.
  const { reset } = run;
  useEffect(() => {
    setIdentifier('');
    setConsent(false);
    setReason('');
    setTouched(false);
    setTried(false);
    reset();
  }, [liveId, reset]);

  const options = lookups.data ?? [];
  const picked: LookupOption | undefined = options.find((l) => l.id === pickedId) ?? options[0];
  const pattern = useMemo(() => (picked ? identifierRegExp(picked.identifierPattern) : undefined), [picked]);
  if (!liveId) return null;

  const trimmed = identifier.trim();
  const valid = pattern ? pattern.test(trimmed) : false;
  const invalidShown = touched && trimmed !== '' && !valid;
  const submit = () => {
    setTouched(true);
    setTried(true);
    if (!picked || !valid || !consent) return;
    run.mutate({
      id: picked.id,
      body: {
        interactionId: liveId,
        identifier: trimmed,
        consent: true,
        reason: reason.trim(),
      },
    });
  };
  const result = run.data;

  return (
    <section className="panel lookup" aria-labelledby="lookup-heading">
      <header className="panel__header">
        <h2 id="lookup-heading" className="panel__title">
          {t('connectors.heading')}
        </h2>
        <kbd className="lookup__kbd">{t('connectors.shortcut')}</kbd>
      </header>
      <form
        className="lookup__body"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {lookups.isSuccess && options.length === 0 && <p className="muted">{t('connectors.none')}</p>}
        {picked && (
          <>
            <label className="field">
              <span className="field-label">{t('connectors.pick')}</span>
              <select
                ref={selectRef}
                aria-keyshortcuts="Alt+L"
                value={picked.id}
                onChange={(e) => {
                  setPickedId(e.target.value);
                  setTouched(false);
                  run.reset();
                }}
              >
                {options.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                    {l.health.state !== 'up' ? ` — ${t(`connectors.state.${l.health.state}`)}` : ''}
                  </option>
                ))}
              </select>
            </label>
            {picked.health.state === 'down' && (
              <p className="notice notice--error" role="alert">
                {t('connectors.down', {
                  name: picked.name,
                  time: f.time(picked.health.retryAt),
                })}
              </p>
            )}
            {picked.health.state === 'half_open' && (
              <p className="notice notice--warn" role="status">
                {t('connectors.halfOpen', { name: picked.name })}
              </p>
            )}
            <label className="field">
              <span className="field-label">{picked.identifierLabel}</span>
              <input
                value={identifier}
                inputMode="text"
                autoComplete="off"
                maxLength={60}
                placeholder={picked.identifierExample}
                aria-invalid={invalidShown}
                aria-describedby="lookup-identifier-hint"
                onChange={(e) => setIdentifier(e.target.value)}
                onBlur={() => setTouched(true)}
              />
              <span id="lookup-identifier-hint" className={invalidShown ? 'field-error' : 'field-hint'}>
                {invalidShown
                  ? t('connectors.invalid', {
                      label: picked.identifierLabel,
                      example: picked.identifierExample,
                    })
                  : picked.identifierExample
                    ? t('connectors.identifierHint', {
                        example: picked.identifierExample,
                      })
                    : ''}
              </span>
            </label>
            <label className="lookup__consent">
              <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
              <span>{t('connectors.consent')}</span>
            </label>
            {tried && !consent && (
              <p className="field-error" role="alert">
                {t('connectors.consentNeeded')}
              </p>
            )}
            <label className="field">
              <span className="field-label">{t('connectors.reason')}</span>
              <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
            </label>
            <div className="lookup__actions">
              <button type="submit" className="btn btn--primary btn--small" disabled={run.isPending}>
                {run.isPending ? t('connectors.running') : t('connectors.run')}
              </button>
              <span className="muted lookup__note">{t('connectors.recorded')}</span>
            </div>
          </>
        )}
        {/* A refusal because the system is down repeats the banner above: shown once. */}
        <ErrorNotice error={isDownRefusal(run.error) && picked?.health.state === 'down' ? lookups.error : (run.error ?? lookups.error)} />
        {result && !run.isPending && (
          <div className="lookup__result" role="status" aria-live="polite">
            <p className="lookup__result-title">
              {t('connectors.resultOf', {
                name: result.name,
                identifier: result.identifierMasked,
              })}
            </p>
            {!result.found ? (
              <p>
                {t('connectors.notFound', {
                  identifier: result.identifierMasked,
                })}
              </p>
            ) : (
              result.rows.map((row, i) => (
                <dl key={i} className="lookup__row">
                  {row.map((c) => (
                    <div key={c.label} className="lookup__cell">
                      <dt>{c.label}</dt>
                      <dd>{c.value}</dd>
                    </div>
                  ))}
                </dl>
              ))
            )}
            <p className="muted lookup__note">{t('connectors.notStored')}</p>
          </div>
        )}
      </form>
    </section>
  );
}

/** The server refused at once because the circuit breaker has the system marked down. */
function isDownRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'LOOKUP_UNAVAILABLE' && (error.details as { reason?: string } | undefined)?.reason === 'down';
}
