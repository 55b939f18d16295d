import { BACKGROUND_HEADER } from '../../../core/contracts/auth';
import { ErrorBodySchema, REQUEST_HEADER } from '../../../core/contracts/common';

/** A failed API call: the server's error code and its Korean message, safe to show to the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Thrown when the server cannot be reached at all; the UI shows its own translated message. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

let onUnauthenticated: ((code: string) => void) | null = null;

/** The session layer registers here to learn that a session expired in the middle of work (code: why). */
export function setUnauthenticatedHandler(handler: ((code: string) => void) | null): void {
  onUnauthenticated = handler;
}

/*
 * Idle sign-out (개인정보 안전성 확보조치 기준 제6조④): a call made more than a minute after the user last typed or
 * clicked is marked as background (polling), so the server does not count it as activity. `lastActivitySentAt` is
 * when the server last saw activity from this tab, for the idle warning (features/auth/idle-watch.tsx).
 */
const INPUT_FRESH_MS = 60_000;
let lastInputAt = Date.now();
let lastActivitySentAt = Date.now();

/** Called on every keydown/pointerdown (registered by the idle watch). */
export function noteUserInput(): void {
  lastInputAt = Date.now();
}

/** When the user last gave input here, and when the server last saw activity from this tab. */
export function activityTimes(): { lastInputAt: number; lastActivitySentAt: number } {
  return { lastInputAt, lastActivitySentAt };
}

type RequestOptions = { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal };

/** Calls the OneCall API with the session cookie; resolves with the JSON body, or rejects with an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, signal } = options;
  let response: Response;
  const sentAt = Date.now();
  const background = sentAt - lastInputAt > INPUT_FRESH_MS;
  try {
    // The custom header is the server's CSRF check: only our own pages can send it.
    const headers: Record<string, string> = { accept: 'application/json', [REQUEST_HEADER]: '1' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (background) headers[BACKGROUND_HEADER] = '1';
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, NETWORK_ERROR, '');
  }
  // The server counted the activity when the request reached it, not when its answer came back: a slow answer (or a
  // clock that moved meanwhile) must not push the idle deadline later than the server's.
  if (response.ok && !background) lastActivitySentAt = Math.max(lastActivitySentAt, sentAt);
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(payload);
    const error = parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details)
      : new ApiError(response.status, 'HTTP_' + response.status, `${response.status} ${response.statusText}`);
    if (response.status === 401 && (!path.startsWith('/api/auth/') || error.code === 'SESSION_EXPIRED')) onUnauthenticated?.(error.code);
    throw error;
  }
  return payload as T;
}

/** The message to show for any error thrown by `api` (the server's Korean message, or a translated fallback). */
export function errorMessage(err: unknown, fallback: { network: string; generic: string }): string {
  if (err instanceof ApiError) return err.code === NETWORK_ERROR ? fallback.network : err.message || fallback.generic;
  return fallback.generic;
}
