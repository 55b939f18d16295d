import { parentPort } from 'node:worker_threads';
import { RecordingAudioError, recordingToWav } from './recording-audio';
import { transferListOf, type DecodeAnswer, type DecodeRequest } from './recording-decoder';

/*
 * The recording decoder's worker thread (recording-decoder.ts, started through recording-decode-worker.mjs): one pcap
 * at a time into a WAV, answered with its memory moved back; a RecordingAudioError's reason crosses as data.
 */
const port = parentPort;
if (!port) throw new Error('recording-decode-worker runs as a worker thread');
port.on('message', ({ id, pcap }: DecodeRequest) => {
  let answer: DecodeAnswer;
  try {
    answer = { id, wav: recordingToWav(Buffer.from(pcap.buffer, pcap.byteOffset, pcap.byteLength)) };
  } catch (err) {
    answer = { id, error: err instanceof RecordingAudioError ? { reason: err.reason, message: err.message } : { message: err instanceof Error ? err.message : String(err) } };
  }
  port.postMessage(answer, 'wav' in answer ? transferListOf(answer.wav) : []);
});
