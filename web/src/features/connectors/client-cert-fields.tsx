import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientCert, ClientCertInfo } from '../../../../core/contracts/case-system';
import { useFormat } from '../../lib/use-format';

type Pem = { cert: string; key: string; ca: string };

/** What the save body carries: null keeps the stored certificate, '' removes it, a certificate replaces it. */
export function clientCertValue(pem: Pem, removed: boolean): ClientCert | '' | null {
  if (removed) return '';
  if (!pem.cert.trim() || !pem.key.trim()) return null;
  return { cert: pem.cert, key: pem.key, ...(pem.ca.trim() ? { ca: pem.ca } : {}) };
}

/**
 * 클라이언트 인증서 (mutual TLS) of a connector (issue #16): the certificate and key PEM pasted or loaded from a file,
 * and the CA of the system's server certificate (optional). Write-only: a stored certificate shows only 설정됨 with its
 * subject and expiry, never the key; it is kept unless replaced or removed.
 */
export function ClientCertFields({ stored, onChange }: { stored: ClientCertInfo | null; onChange: (value: ClientCert | '' | null) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [pem, setPem] = useState<Pem>({ cert: '', key: '', ca: '' });
  const [removed, setRemoved] = useState(false);
  // Both connectors' forms may be open on one page: ids of their own.
  const idBase = useId();
  const files = useRef<Partial<Record<keyof Pem, HTMLInputElement | null>>>({});
  const update = (next: Pem, nextRemoved = removed) => {
    setPem(next);
    setRemoved(nextRemoved);
    onChange(clientCertValue(next, nextRemoved));
  };
  const load = (k: keyof Pem) => async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) update({ ...pem, [k]: await file.text() }, false);
  };
  const area = (k: keyof Pem, label: string, placeholder: string) => (
    <div className="field client-cert__pem">
      <label className="field-label" htmlFor={`${idBase}-${k}`}>
        {label}
      </label>
      <textarea
        id={`${idBase}-${k}`}
        className="mono"
        rows={3}
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        value={pem[k]}
        onChange={(e) => update({ ...pem, [k]: e.target.value }, false)}
      />
      {/* The browser's own file button speaks the browser's language ("Choose File"): hidden, opened by ours. */}
      <input
        ref={(el) => {
          files.current[k] = el;
        }}
        type="file"
        tabIndex={-1}
        aria-hidden="true"
        className="visually-hidden"
        accept=".pem,.crt,.cer,.key,text/plain"
        onChange={(e) => void load(k)(e)}
      />
      <button type="button" className="btn btn--ghost btn--small client-cert__file" onClick={() => files.current[k]?.click()}>
        {t('connectors.clientCert.loadFile', { what: label })}
      </button>
    </div>
  );

  return (
    <fieldset className="field connectors-admin__wide client-cert">
      <legend className="field-label">{t('connectors.clientCert.title')}</legend>
      {stored && !removed ? (
        <p className="client-cert__stored" role="status">
          <strong>{t('connectors.clientCert.set')}</strong>{' '}
          {stored.subject ? t('connectors.clientCert.info', { subject: stored.subject, validTo: f.date(stored.validTo) }) : t('connectors.clientCert.unreadable')}{' '}
          <button type="button" className="btn btn--small" onClick={() => update({ cert: '', key: '', ca: '' }, true)}>
            {t('connectors.clientCert.remove')}
          </button>
        </p>
      ) : (
        <p className="muted">{removed ? t('connectors.clientCert.removed') : t('connectors.clientCert.none')}</p>
      )}
      <span className="muted">{stored && !removed ? t('connectors.clientCert.replaceHint') : t('connectors.clientCert.hint')}</span>
      {area('cert', t('connectors.clientCert.cert'), '-----BEGIN CERTIFICATE-----')}
      {area('key', t('connectors.clientCert.key'), '-----BEGIN PRIVATE KEY-----')}
      {area('ca', t('connectors.clientCert.ca'), '-----BEGIN CERTIFICATE-----')}
    </fieldset>
  );
}
