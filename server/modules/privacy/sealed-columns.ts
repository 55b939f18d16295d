/**
 * Every column that holds a value sealed by the vault (server/lib/vault.ts), for the key-rotation command: it
 * re-encrypts each of them under the new key. A feature that stores a new sealed column adds it here, or a rotation
 * that retires the old key would leave that column unreadable (the rotation test checks the list against the schema).
 *
 * `phoneIndex`: the column of the row's blind index and the sealed column it is computed from (E.164 inside).
 */
export type SealedColumnSet = {
  table: string;
  columns: readonly string[];
  phoneIndex?: { column: string; from: string };
  /** The row's name blind index (migration 0025) and the sealed name it is computed from (search by name). */
  nameIndex?: { column: string; from: string };
};

export const SEALED_COLUMNS: readonly SealedColumnSet[] = [
  { table: 'citizens', columns: ['phone_sealed', 'name_sealed'], phoneIndex: { column: 'phone_index', from: 'phone_sealed' }, nameIndex: { column: 'name_index', from: 'name_sealed' } },
  { table: 'interactions', columns: ['caller_number_sealed'], phoneIndex: { column: 'caller_index', from: 'caller_number_sealed' } },
  // TOTP secrets (layer 3, migration 0005): sealed, not hashed (privacy-security-kr.md §4).
  { table: 'users', columns: ['totp_secret', 'totp_pending_secret'] },
  { table: 'sign_in_challenges', columns: ['pending_secret'] },
  // Callback numbers of the ACD's callback tasks (migration 0007).
  { table: 'acd_contacts', columns: ['callback_number_sealed'] },
  // The citizen's reply address and the outbox's messages (address + text) (issue #11 §4, migration 0010).
  { table: 'reply_preferences', columns: ['address_sealed'] },
  { table: 'outbox_messages', columns: ['payload_sealed'] },
  // Connector secrets (issue #16): a look-up's API key or password (migration 0023); the case system's credential,
  // client certificate and key, and webhook secret (migration 0027); a look-up's client certificate (migration 0034).
  { table: 'connector_lookups', columns: ['auth_secret_sealed', 'client_cert_sealed'] },
  { table: 'case_system_settings', columns: ['auth_secret_sealed', 'client_cert_sealed', 'webhook_secret_sealed'] },
  // Call recordings' data keys (issue #17 §3, migration 0037): each recording file is encrypted with its own key.
  { table: 'recordings', columns: ['key_sealed'] },
];
