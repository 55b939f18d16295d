import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Announcement } from '../../../../core/contracts/telephony';

const run = promisify(execFile);

/** What a caller hears for an announcement, in Korean (read by espeak-ng's Korean voice). */
export function announcementText(a: Announcement): string {
  switch (a.kind) {
    case 'position': {
      // The estimate only when it is honest (the ACD gives null otherwise) and worth saying: whole minutes, rounded up.
      const minutes = a.estimatedWaitSeconds !== null && a.estimatedWaitSeconds >= 60 ? Math.ceil(a.estimatedWaitSeconds / 60) : null;
      return `상담 대기 ${a.position}번째입니다.${minutes ? ` 예상 대기 시간은 약 ${minutes}분입니다.` : ''} 잠시만 기다려 주십시오.`;
    }
    case 'closed':
      return `지금은 상담 시간이 아닙니다. 상담 시간은 ${a.hours}입니다.`;
    case 'callback_confirmed':
      return `콜백 요청이 접수되었습니다. 대기 순서는 ${a.position}번째입니다.`;
    case 'no_service':
      return a.reason;
    case 'transfer_hold':
    case 'message':
      return a.text;
    default:
      return '';
  }
}

/**
 * Spoken prompts for rtpengine's `play media`: the text synthesised once by Debian's espeak-ng (Korean voice `ko`) and
 * brought to 8 kHz mono 16-bit by sox, cached under `<dir>/tts/<hash>.wav` (the same text is not synthesised twice).
 * Nothing is downloaded; without espeak-ng/sox (scripts/telephony.sh install) it throws.
 */
export async function spokenPrompt(dir: string, text: string): Promise<string> {
  const clean = text.replace(/\s+/g, ' ').trim().slice(0, 500);
  if (!clean) throw new Error('empty prompt text');
  return cached(dir, clean, '', async (raw, part) => {
    // The text goes as one argument (no shell): nothing in it is interpreted.
    await run('espeak-ng', ['-v', 'ko', '-s', '140', '-w', raw, '--', clean], { timeout: 10_000 });
    await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', part], { timeout: 10_000 });
  });
}

/**
 * What a caller waiting in line hears, played over and over: the spoken text, then the waiting music
 * (`<dir>/wait-music.wav`, made by scripts/telephony.sh prompts), as one file `<dir>/tts/<hash>-wait.wav`.
 */
export async function waitingPrompt(dir: string, text: string): Promise<string> {
  const spoken = await spokenPrompt(dir, text);
  const music = path.join(dir, 'wait-music.wav');
  await fs.access(music);
  return cached(dir, spoken, '-wait', async (_raw, part) => {
    await run('sox', [spoken, music, part], { timeout: 10_000 });
  });
}

/** Prompts being made now, by file: two calls asking for the same prompt at once wait for one synthesis. */
const making = new Map<string, Promise<string>>();

/** `<dir>/tts/<hash of key><suffix>.wav`, made once by `make(scratch, part)` (written as a part file, then renamed). */
async function cached(dir: string, key: string, suffix: string, make: (scratch: string, part: string) => Promise<void>): Promise<string> {
  const name = crypto.createHash('sha256').update(key).digest('hex').slice(0, 24);
  const file = path.join(dir, 'tts', `${name}${suffix}.wav`);
  try {
    await fs.access(file);
    return file;
  } catch {
    // not made yet
  }
  const pending = making.get(file);
  if (pending) return pending;
  const made = (async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Scratch names of their own: another process (OneCall and the fallback service share the folder) may make it too.
    const unique = `${process.pid}.${crypto.randomUUID()}`;
    const scratch = `${file}.${unique}.raw.wav`;
    const part = `${file}.${unique}.part.wav`;
    try {
      await make(scratch, part);
      await fs.rename(part, file);
    } finally {
      await fs.rm(scratch, { force: true });
      await fs.rm(part, { force: true });
    }
    return file;
  })();
  making.set(file, made);
  try {
    return await made;
  } finally {
    making.delete(file);
  }
}
