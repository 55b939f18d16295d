import { Worker } from 'node:worker_threads';
import { AppError } from '../../../core/errors';
import { RecordingAudioError } from './recording-audio';

/** One decode asked of the worker: the pcap's bytes (transferred when the Buffer owns its memory). */
export type DecodeRequest = { id: number; pcap: Uint8Array };
/** The worker's answer: the WAV, or why not (a RecordingAudioError's reason, or none for an unexpected failure). */
export type DecodeAnswer = { id: number; wav: Uint8Array } | { id: number; error: { reason?: RecordingAudioError['reason']; message: string } };

export type RecordingDecoderOptions = {
  /** Worker threads decoding side by side (each one decode at a time). Default 1: a decode is CPU, the host has few cores. */
  workers?: number;
  /** Decodes waiting for a worker; one more is refused with RECORDING_DECODER_BUSY (503). Default 4. */
  maxWaiting?: number;
};

type Job = { pcap: Buffer; resolve: (wav: Buffer) => void; reject: (err: Error) => void };
type Slot = { worker: Worker; job: { id: number; job: Job } | null };

/**
 * The list of memory to move instead of copy when `bytes` is the only view of its ArrayBuffer (a Buffer of its own
 * allocation); a slice of Node's shared pool (small Buffers) is copied, or the other Buffers in it would be detached.
 */
export function transferListOf(bytes: Uint8Array): ArrayBuffer[] {
  const buffer = bytes.buffer;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

const WORKER_ENTRY = new URL('./recording-decode-worker.mjs', import.meta.url);

/**
 * Turns recordings into WAV (recording-audio.ts recordingToWav) on worker threads (issue #17 §3): a 60-minute call is
 * about 1.3 s of CPU, which on the event loop stalled the ACD and the SIP route service for as long. A small pool,
 * started at the first playback; playbacks beyond the pool wait in a bounded queue, and one more is answered at once
 * with RECORDING_DECODER_BUSY rather than queued behind minutes of decoding. The pcap's memory is moved to the worker
 * and the WAV's back. A worker's RecordingAudioError comes back as a RecordingAudioError with the same reason; a
 * worker that dies fails its decode and is replaced at the next one.
 */
export class RecordingDecoder {
  private readonly size: number;
  private readonly maxWaiting: number;
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: RecordingDecoderOptions = {}) {
    this.size = Math.max(1, options.workers ?? 1);
    this.maxWaiting = Math.max(0, options.maxWaiting ?? 4);
  }

  /** The WAV of a pcap; rejects with RecordingAudioError (unplayable), AppError RECORDING_DECODER_BUSY, or an Error. */
  decode(pcap: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (this.closed) return reject(new Error('the recording decoder is closed'));
      const job: Job = { pcap, resolve, reject };
      const slot = this.freeSlot();
      if (slot) this.run(slot, job);
      else if (this.waiting.length < this.maxWaiting) this.waiting.push(job);
      else reject(new AppError('RECORDING_DECODER_BUSY', '지금 재생을 준비 중인 녹음이 많습니다. 잠시 후 다시 들어 보세요.', { waiting: this.waiting.length }));
    });
  }

  /** Decodes running and waiting (for the bench and tests). */
  get load(): { running: number; waiting: number } {
    return { running: [...this.slots].filter((s) => s.job).length, waiting: this.waiting.length };
  }

  /** Stops the workers; running and waiting decodes fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the recording decoder is closed'));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
  }

  private freeSlot(): Slot | undefined {
    for (const slot of this.slots) if (!slot.job) return slot;
    return this.slots.size < this.size ? this.spawn() : undefined;
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_ENTRY);
    const slot: Slot = { worker, job: null };
    this.slots.add(slot);
    worker.on('message', (answer: DecodeAnswer) => {
      const current = slot.job;
      if (!current || current.id !== answer.id) return;
      slot.job = null;
      if ('wav' in answer) current.job.resolve(Buffer.from(answer.wav.buffer, answer.wav.byteOffset, answer.wav.byteLength));
      else current.job.reject(answer.error.reason ? new RecordingAudioError(answer.error.reason, answer.error.message) : new Error(`recording decoder: ${answer.error.message}`));
      this.next(slot);
    });
    const lost = (err: Error) => {
      if (!this.slots.delete(slot)) return;
      slot.job?.job.reject(err);
      slot.job = null;
      // The queue goes on with a new worker.
      const job = this.waiting.shift();
      if (job && !this.closed) this.run(this.spawn(), job);
    };
    worker.on('error', (err) => lost(err));
    worker.on('exit', (code) => lost(new Error(`recording decoder: the worker exited (code ${code})`)));
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    const id = this.nextId++;
    slot.job = { id, job };
    // A busy worker keeps the process alive (a CLI awaiting a decode); an idle one does not.
    slot.worker.ref();
    const request: DecodeRequest = { id, pcap: job.pcap };
    slot.worker.postMessage(request, transferListOf(job.pcap));
  }

  private next(slot: Slot): void {
    const job = this.waiting.shift();
    if (job) this.run(slot, job);
    else slot.worker.unref();
  }
}
