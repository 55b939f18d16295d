import fs from 'node:fs/promises';
import path from 'node:path';
import type { SipConfig } from '../../config';
import type { AppDeps } from '../../deps';
import type { Db } from '../../db/database';
import { AppError } from '../../../core/errors';
import { newId } from '../../lib/ids';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { accessBy, type Viewer } from '../privacy/access-context';
import { formatPhone } from '../../../core/domain/phone';
import { maskPhone } from '../../../core/domain/masking';
import { RecordingAudioError } from './recording-audio';
import type { RecordingDecoder } from './recording-decoder';
import { finishedSpoolFile, newDataKey, openSealedFile, RecordingFileError, sealFile } from './recording-files';
import {
  deleteRecordingsBefore,
  findRecording,
  findRecordingByCall,
  insertRecording,
  listUnsealed,
  markEnded,
  markFailed,
  markSealed,
  searchRecordings,
  type RecordingRow,
} from './recordings.repository';

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/** What the service needs of rtpengine: its ng protocol (server/ports/telephony/sip/rtpengine-ng.ts). */
export type RecorderControl = { request(command: string, args: Record<string, string>): Promise<Record<string, unknown>> };

const DAY_MS = 86_400_000;
/** How long `finish` waits (wall time) for rtpengine to close the file after the call ended. */
const FINISH_WAIT_MS = 15_000;
const FINISH_POLL_MS = 50;

/**
 * Call recording (issue #17 §3, docs/TELEPHONY-SIP.md): with SIP_RECORDING=on, an answered call is recorded by rtpengine
 * (`start recording`, pcap into its spool); when the call has ended and rtpengine has closed the file, OneCall seals it
 * into its own store (recording-files.ts: a data key per recording, sealed by the vault), deletes the plain pcap and its
 * metadata, and records the row with the contact. A restart or a lost `ended` event is caught by `sweep` (at start and
 * every minute). Playback: supervisor/admin with a reason, one access record each.
 */
export class RecordingService {
  private readonly sealing = new Set<string>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'vault'>,
    readonly config: SipConfig['recording'],
    private readonly control: RecorderControl,
    private log: Log,
  ) {}

  setLogger(log: Log): void {
    this.log = log;
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  /**
   * The agent answered: rtpengine starts recording the call. A call already recorded (a second `answered`, a restart)
   * is left alone. When rtpengine refuses, the row says so (status failed): the contact shows "not recorded".
   */
  async start(callId: string, interactionId: string): Promise<RecordingRow | null> {
    if (!this.config.enabled) return null;
    try {
      return await this.startRecording(callId, interactionId);
    } catch (err) {
      this.log.error({ err, callId }, 'recording: not started');
      return null;
    }
  }

  private async startRecording(callId: string, interactionId: string): Promise<RecordingRow | null> {
    if (await findRecordingByCall(this.deps.db, callId)) return null;
    const now = this.deps.clock.now();
    const row: RecordingRow = {
      id: newId(),
      interaction_id: interactionId,
      call_id: callId,
      status: 'recording',
      file_ref: null,
      key_sealed: null,
      size_bytes: null,
      started_at: now.toISOString(),
      ended_at: null,
      sealed_at: null,
      retain_until: new Date(now.getTime() + this.config.retentionDays * DAY_MS).toISOString(),
      failure: null,
    };
    let failure: string | null = null;
    try {
      const answer = await this.control.request('start recording', { 'call-id': callId });
      if (answer['result'] !== 'ok') failure = `rtpengine: ${String(answer['error-reason'] ?? answer['result'])}`;
    } catch (err) {
      failure = `rtpengine: ${(err as Error).message}`;
    }
    if (failure) {
      row.status = 'failed';
      row.failure = failure;
      this.log.error({ callId, failure }, 'recording: rtpengine did not start recording');
    }
    await insertRecording(this.deps.db, row);
    return row;
  }

  /** The call ended: waits (wall time) until rtpengine has closed the file, then seals it. */
  async finish(callId: string): Promise<void> {
    if (!this.config.enabled) return;
    try {
      await this.finishRecording(callId);
    } catch (err) {
      this.log.error({ err, callId }, 'recording: not finished (the sweep retries)');
    }
  }

  private async finishRecording(callId: string): Promise<void> {
    await markEnded(this.deps.db, callId, this.deps.clock.now().toISOString());
    const row = await findRecordingByCall(this.deps.db, callId);
    if (row?.status !== 'recording') return;
    const until = performance.now() + FINISH_WAIT_MS;
    while (performance.now() < until) {
      if (await this.trySeal(row)) return;
      await new Promise((r) => setTimeout(r, FINISH_POLL_MS));
    }
    this.log.warn({ callId }, 'recording: rtpengine has not closed the file yet (the sweep will seal it)');
  }

  /** Seals every finished recording not sealed yet (after a restart, or an `ended` that never came). */
  async sweep(): Promise<number> {
    let n = 0;
    for (const row of await listUnsealed(this.deps.db)) if (await this.trySeal(row)) n++;
    return n;
  }

  /** True when the recording was sealed now (or turned out to be failed); false while rtpengine still writes. */
  private async trySeal(row: RecordingRow): Promise<boolean> {
    if (this.sealing.has(row.id)) return false;
    this.sealing.add(row.id);
    try {
      const spool = await finishedSpoolFile(this.config.spoolDir, row.call_id);
      if (!spool) return false;
      const key = newDataKey();
      const day = row.started_at.slice(0, 10);
      const fileRef = path.join(this.config.dir, day, `${row.id}.ocrec`);
      const size = await sealFile(spool.pcap, fileRef, key, row.id);
      try {
        await markSealed(this.deps.db, row.id, { fileRef, keySealed: this.deps.vault.seal(key.toString('base64')), size, at: this.deps.clock.now().toISOString() });
      } catch (err) {
        await fs.rm(fileRef, { force: true });
        throw err;
      }
      // Only once the sealed copy and its key are stored: the plain recording goes (personal data at rest).
      await fs.rm(spool.pcap, { force: true });
      await fs.rm(spool.metadata, { force: true });
      this.log.info({ recordingId: row.id, callId: row.call_id, size }, 'recording: sealed');
      return true;
    } catch (err) {
      this.log.error({ err, recordingId: row.id }, 'recording: sealing failed');
      await markFailed(this.deps.db, row.id, `sealing: ${(err as Error).message}`);
      return true;
    } finally {
      this.sealing.delete(row.id);
    }
  }
}

/**
 * Playback / download of one recording (supervisor, admin): the reason is required and written with the access record
 * (the 접속기록 of a recording playback, privacy-security-kr.md §7), in the same transaction as the read. The file is
 * opened (and rendered: the pcap as it is, or as audio) first, so a record is written only for bytes actually handed
 * out. A sealed file that fails authentication, or a recording without playable audio, is RECORDING_UNPLAYABLE (422).
 */
export async function openRecording(
  deps: Pick<AppDeps, 'db' | 'clock' | 'vault'>,
  viewer: Viewer,
  id: string,
  reason: string | undefined,
  render: (pcap: Buffer) => Buffer | Promise<Buffer> = (pcap) => pcap,
): Promise<{ row: RecordingRow; bytes: Buffer }> {
  const why = reason?.trim() ?? '';
  if (why.length < 2) throw new AppError('RECORDING_REASON_REQUIRED', '녹취를 들으려면 사유를 입력하세요.');
  const row = await findRecording(deps.db, id);
  if (!row) throw new AppError('NOT_FOUND', '녹취를 찾을 수 없습니다.');
  if (row.status !== 'sealed' || !row.file_ref || !row.key_sealed) throw new AppError('NOT_FOUND', row.status === 'recording' ? '녹취가 아직 끝나지 않았습니다.' : '이 통화는 녹취 파일이 없습니다.');
  let bytes: Buffer;
  try {
    bytes = await render(await openSealedFile(row.file_ref, Buffer.from(deps.vault.open(row.key_sealed), 'base64'), row.id));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', '녹취 파일이 없습니다.');
    if (err instanceof RecordingFileError) throw new AppError('RECORDING_UNPLAYABLE', '녹취 파일이 손상되어 열 수 없습니다.', { reason: 'sealed_file_damaged' });
    throw err;
  }
  await deps.db.transaction().execute(async (trx) => {
    const interaction = await trx.selectFrom('interactions').select('citizen_id').where('id', '=', row.interaction_id).executeTakeFirst();
    await appendAccessRecords(trx, [accessBy(viewer, deps.clock.now().toISOString(), 'export', [interaction?.citizen_id ?? null], `recording:${row.id}`, 1, { reason: why })]);
  });
  return { row, bytes };
}

/**
 * The recording's pcap as a WAV to play, decoded off the event loop (recording-decoder.ts); a damaged or silent file is
 * RECORDING_UNPLAYABLE with the decoder's reason, a full decoder queue RECORDING_DECODER_BUSY (503).
 */
export function audioOf(decoder: RecordingDecoder): (pcap: Buffer) => Promise<Buffer> {
  return async (pcap) => {
    try {
      return await decoder.decode(pcap);
    } catch (err) {
      if (!(err instanceof RecordingAudioError)) throw err;
      const message = err.reason === 'no_audio' ? '이 녹취에는 재생할 수 있는 음성(G.711)이 없습니다.' : err.reason === 'too_long' ? '녹취가 너무 길어 재생할 수 없습니다.' : '녹취 파일이 손상되어 재생할 수 없습니다.';
      throw new AppError('RECORDING_UNPLAYABLE', message, { reason: err.reason });
    }
  };
}

/** The 통화 녹음 list of a period or of one contact: when, agent, the caller's number masked, length, queue. */
export async function searchRecordingList(deps: Pick<AppDeps, 'db' | 'vault'>, range: { from?: string; to?: string; interactionId?: string; limit: number }) {
  const rows = await searchRecordings(deps.db, range);
  return rows.map((r) => ({
    id: r.id,
    contactId: r.interaction_id,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    sizeBytes: r.size_bytes,
    retainUntil: r.retain_until,
    durationSec: r.ended_at ? Math.max(0, Math.round((Date.parse(r.ended_at) - Date.parse(r.started_at)) / 1000)) : null,
    agentName: r.agent_name,
    // '' once the retention job erased the number: shown as unknown, never opened.
    callerMasked: r.caller_number_sealed ? maskPhone(formatPhone(deps.vault.open(r.caller_number_sealed))) : null,
    queueName: r.queue_name,
  }));
}

/** The retention hook's work: rows past the period deleted (their keys with them), then their sealed files. */
export async function destroyRecordingsBefore(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const { count, files } = await deleteRecordingsBefore(db, cutoff, dryRun);
  for (const f of files) await fs.rm(f, { force: true });
  return count;
}
