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

let onUnauthenticated: (() => void) | null = null;

/** The session layer registers here to learn that a session expired in the middle of work. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type RequestOptions = { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal };

/** Calls the OneCall API with the session cookie; resolves with the JSON body, or rejects with an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, signal } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      // The custom header is the server's CSRF check: only our own pages can send it.
      headers: body === undefined ? { accept: 'application/json', [REQUEST_HEADER]: '1' } : { accept: 'application/json', 'content-type': 'application/json', [REQUEST_HEADER]: '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, NETWORK_ERROR, '');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(payload);
    const error = parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details)
      : new ApiError(response.status, 'HTTP_' + response.status, `${response.status} ${response.statusText}`);
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    throw error;
  }
  return payload as T;
}

/** The message to show for any error thrown by `api` (the server's Korean message, or a translated fallback). */
export function errorMessage(err: unknown, fallback: { network: string; generic: string }): string {
  if (err instanceof ApiError) return err.code === NETWORK_ERROR ? fallback.network : err.message || fallback.generic;
  return fallback.generic;
}
