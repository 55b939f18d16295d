import fs from 'node:fs/promises';
import { readSpool } from '../../ports/telephony/sip/fallback';
import type { AcdService } from '../acd/acd.service';

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

/**
 * The callbacks the SIP fallback announcement took while OneCall did not answer (ports/telephony/sip/fallback.ts):
 * each becomes a callback in the line of the queue serving the dialled number (AcdService.missedCallCallback), then
 * its spool file goes. Read at start and every 30 s. A file read twice (a crash between queueing and deleting) is
 * queued once (the ACD knows the call); an unreadable one is kept aside (`.bad`) and logged, never lost silently.
 */
export async function importFallbackCallbacks(dir: string, acd: AcdService, log: Log): Promise<number> {
  let queued = 0;
  for (const { file, entry } of await readSpool(dir)) {
    if (!entry) {
      log.warn({ file }, 'sip fallback: unreadable callback request kept aside (.bad)');
      await fs.rename(file, `${file}.bad`).catch(() => undefined);
      continue;
    }
    const id = await acd.missedCallCallback({ callId: entry.callId, callerNumber: entry.caller, dialledNumber: entry.callee, at: Date.parse(entry.at) });
    if (id) queued++;
    else log.info({ callId: entry.callId }, 'sip fallback: callback request already queued, or no queue serves the number');
    await fs.rm(file, { force: true });
  }
  if (queued) log.info({ queued }, 'sip fallback: callbacks taken while OneCall did not answer are in line');
  return queued;
}
