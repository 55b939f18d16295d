import crypto from 'node:crypto';
import type { ClientCert, ClientCertInfo } from '../../../core/contracts/case-system';
import { AppError } from '../../../core/errors';
import type { Vault } from '../../lib/vault';

/**
 * Client certificates (mutual TLS) of the connectors (issue #16): the case-system link and each department look-up.
 * Stored as one JSON value sealed by the vault; the admin sees only the subject and expiry, never the key.
 */

/** A certificate Node cannot use (not PEM, or a key that is not its own, or a bad CA) is refused on save, never stored. */
export function checkClientCert(c: ClientCert): void {
  try {
    const cert = new crypto.X509Certificate(c.cert);
    const key = crypto.createPrivateKey(c.key);
    if (!cert.checkPrivateKey(key)) throw new Error('mismatch');
    if (c.ca) new crypto.X509Certificate(c.ca);
  } catch {
    throw new AppError('VALIDATION_FAILED', '클라이언트 인증서(PEM)와 개인키가 올바르지 않거나 서로 맞지 않습니다.', { field: 'clientCert' });
  }
}

/** The sealed value to store: null keeps the stored one, '' removes it, a certificate is checked and sealed. */
export function sealClientCert(vault: Vault, given: ClientCert | '' | null, stored: string | null | undefined): string | null {
  if (given === null) return stored ?? null;
  if (given === '') return null;
  checkClientCert(given);
  return vault.seal(JSON.stringify(given));
}

/** Subject and expiry of a stored certificate for the admin screen; both null when the key ring cannot open it. */
export function describeClientCert(vault: Vault, sealed: string | null): ClientCertInfo | null {
  if (!sealed) return null;
  try {
    const { cert } = JSON.parse(vault.open(sealed)) as ClientCert;
    const x = new crypto.X509Certificate(cert);
    return { subject: x.subject.split('\n').join(', '), validTo: new Date(x.validTo).toISOString() };
  } catch {
    return { subject: null, validTo: null };
  }
}

/** Opens a stored certificate for a request (in memory only); throws when the key ring cannot open it. */
export function openClientCert(vault: Vault, sealed: string | null): ClientCert | null {
  return sealed ? (JSON.parse(vault.open(sealed)) as ClientCert) : null;
}
