import { phoneKeysOf } from '../../../core/domain/pii';
import type { AppDeps, Db } from '../../deps';

/*
 * The city's own phone numbers (issue #18 item 8): every department's number and every official's direct line. They
 * are not personal data, so the free-text masker leaves them as written ("문의: 상하수도사업소 (031-5180-2501)" in an
 * official's answer reaches the citizen intact). A direct line is the department's exchange (its number without the
 * last four digits) followed by the official's four-digit extension, as city halls dial in (국번 031-5180 + 내선 2102).
 */

/** How long the list is kept per process: an admin's change reaches masking within a minute (or at once here). */
const TTL_MS = 60_000;

const cache = new WeakMap<object, { keys: ReadonlySet<string>; expiresAt: number }>();

/** The numbers, as written in the directory: department phones and the officials' direct lines derived from them. */
export async function listCityPhones(db: Db): Promise<string[]> {
  const [departments, officials] = await Promise.all([
    db.selectFrom('departments').select(['id', 'phone']).execute(),
    db.selectFrom('users').select(['department_id', 'extension']).where('role', '=', 'official').where('extension', 'is not', null).execute(),
  ]);
  const exchange = new Map<string, string>();
  const numbers: string[] = [];
  for (const d of departments) {
    if (!d.phone) continue;
    numbers.push(d.phone);
    const digits = d.phone.replace(/\D/g, '');
    if (digits.length >= 9) exchange.set(d.id, digits.slice(0, -4));
  }
  for (const o of officials) {
    const prefix = o.department_id ? exchange.get(o.department_id) : undefined;
    if (prefix && o.extension && /^\d{4}$/.test(o.extension)) numbers.push(prefix + o.extension);
  }
  return numbers;
}

/** The keys ({@link phoneKeysOf}) of the city's numbers, for `maskFreeText(…, { keepPhones })`; cached a minute. */
export async function cityPhoneKeys(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<ReadonlySet<string>> {
  const now = deps.clock.now().getTime();
  const hit = cache.get(deps.db);
  if (hit && hit.expiresAt > now) return hit.keys;
  const keys = phoneKeysOf(await listCityPhones(deps.db));
  cache.set(deps.db, { keys, expiresAt: now + TTL_MS });
  return keys;
}

/** Drops this process's list after a directory change (extensions moved, departments renumbered). */
export function forgetCityPhones(db: object): void {
  cache.delete(db);
}
