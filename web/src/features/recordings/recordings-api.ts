import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { REQUEST_HEADER } from '../../../../core/contracts/common';
import { api, ApiError } from '../../api/client';

/** One line of GET /api/recordings (server/modules/recordings/recordings.routes.ts RecordingSchema). */
export type RecordingItem = {
  id: string;
  contactId: string;
  status: 'recording' | 'sealed' | 'failed';
  startedAt: string;
  endedAt: string | null;
  sizeBytes: number | null;
  retainUntil: string;
  durationSec: number | null;
  agentName: string | null;
  callerMasked: string | null;
  queueName: string | null;
};

/** The recordings started on the KST days from..to; a new period keeps the last list on screen until it arrives. */
export function useRecordings(from: string, to: string) {
  return useQuery({
    queryKey: ['recordings', from, to],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api<{ items: RecordingItem[]; truncated: boolean }>(`/api/recordings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { signal }),
  });
}

/**
 * Fetches the recording as WAV with the reason (the server writes the access record) and answers an object URL for
 * <audio>: the audio never sits in the query cache, and the caller revokes the URL when the player closes.
 */
async function fetchAudio({ id, reason }: { id: string; reason: string }): Promise<string> {
  const res = await fetch(`/api/recordings/${encodeURIComponent(id)}/audio?reason=${encodeURIComponent(reason)}`, {
    credentials: 'same-origin',
    headers: { accept: 'audio/wav', [REQUEST_HEADER]: '1' },
  });
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText, payload?.error?.details);
  }
  return URL.createObjectURL(await res.blob());
}

export const useRecordingAudio = () => useMutation({ mutationFn: fetchAudio });
