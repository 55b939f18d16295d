import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { REQUEST_HEADER } from '../../../../core/contracts/common';
import type {
  Directory,
  DirectoryImportBody,
  DirectoryImportResult,
  ImportProblem,
  OfficialPresence,
  SetPresenceBody,
} from '../../../../core/contracts/directory';
import { api, ApiError } from '../../api/client';

/** Query keys of the directory (업무분장) and presence. */
export const directoryKeys = {
  directory: ['directory'] as const,
  myPresence: ['directory', 'presence', 'me'] as const,
};

export function useDirectory() {
  return useQuery({ queryKey: directoryKeys.directory, queryFn: () => api<Directory>('/api/directory') });
}

/** The problems of a refused import (422 IMPORT_INVALID), or null for any other error. */
export function importProblemsOf(error: unknown): ImportProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_INVALID') return null;
  const details = error.details as { problems?: ImportProblem[] } | undefined;
  return details?.problems ?? [];
}

/** Reads a chosen file as the import body: CSV as text, XLSX as base64. */
export async function importBodyOf(file: File, dryRun: boolean): Promise<DirectoryImportBody> {
  const isXlsx = /\.xlsx$/i.test(file.name);
  if (!isXlsx) return { format: 'csv', content: await file.text(), fileName: file.name, dryRun };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: 'xlsx', content: btoa(binary), fileName: file.name, dryRun };
}

export function useImportDirectory() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DirectoryImportBody) => api<DirectoryImportResult>('/api/directory/import', { method: 'POST', body }),
    onSuccess: (result) => {
      if (!result.dryRun) void client.invalidateQueries({ queryKey: directoryKeys.directory });
    },
  });
}

/** Downloads the directory as CSV or XLSX (a file needs the body as a blob, not JSON). */
export async function downloadDirectory(format: 'csv' | 'xlsx'): Promise<void> {
  const res = await fetch(`/api/directory/export?format=${format}`, { credentials: 'same-origin', headers: { [REQUEST_HEADER]: '1' } });
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `onecall-directory.${format}`;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The signed-in official's presence (refreshed every minute: the phone and the hours change it too). */
export function useMyPresence(enabled: boolean) {
  return useQuery({
    queryKey: directoryKeys.myPresence,
    queryFn: () => api<OfficialPresence>('/api/directory/presence/me'),
    enabled,
    refetchInterval: 60_000,
  });
}

export function useSetMyPresence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SetPresenceBody) => api<OfficialPresence>('/api/directory/presence/me', { method: 'PUT', body }),
    onSuccess: (presence) => client.setQueryData(directoryKeys.myPresence, presence),
  });
}
