import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { Role } from '../../../core/contracts/enums';
import { acdKeys } from './acd-queries';
import { EMPTY_REALTIME_STATE, RealtimeConnection, realtimeUrl, reduceRealtime, type ConnectionStatus, type RealtimeState, type SocketLike } from './realtime';

/** Roles the server accepts on /api/realtime (officials: warm-transfer cards). */
const REALTIME_ROLES: readonly Role[] = ['agent', 'official', 'supervisor', 'admin'];

type Snapshot = { status: ConnectionStatus; state: RealtimeState };

/** A tiny external store: the socket writes, components read with useSyncExternalStore. */
class RealtimeStore {
  private snapshot: Snapshot = { status: 'closed', state: EMPTY_REALTIME_STATE };
  private listeners = new Set<() => void>();
  connection: RealtimeConnection | null = null;

  get = (): Snapshot => this.snapshot;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(patch: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((l) => l());
  }
}

const RealtimeContext = createContext<RealtimeStore | null>(null);

/**
 * Opens the tab's one WebSocket for a signed-in agent, supervisor or admin and feeds react-query: `agent.state` goes
 * to the desk state (acdKeys.me), `wallboard` to the wallboard (acdKeys.wallboard). After a reconnect both are
 * refetched, since messages sent while the socket was down are lost.
 */
export function RealtimeProvider({ role, userId, children }: { role: Role; userId: string; children: ReactNode }) {
  const client = useQueryClient();
  const store = useMemo(() => new RealtimeStore(), []);
  const enabled = REALTIME_ROLES.includes(role);

  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') return;
    const connection = new RealtimeConnection({
      url: realtimeUrl(window.location),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      onStatus: (status) => store.set({ status }),
      onOpen: (isReconnect) => {
        if (role === 'supervisor' || role === 'admin') connection.send({ type: 'wallboard.subscribe' });
        if (isReconnect) {
          void client.invalidateQueries({ queryKey: acdKeys.me });
          void client.invalidateQueries({ queryKey: acdKeys.wallboard });
          void client.invalidateQueries({ queryKey: ['transfers'] });
        }
      },
      onMessage: (message) => {
        const next = reduceRealtime(store.get().state, message);
        if (next === store.get().state) return;
        if (next.desk !== store.get().state.desk && next.desk) client.setQueryData(acdKeys.me, next.desk);
        if (next.wallboard !== store.get().state.wallboard && next.wallboard) client.setQueryData(acdKeys.wallboard, next.wallboard);
        store.set({ state: next });
      },
    });
    store.connection = connection;
    connection.start();
    const online = () => connection.retryNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      connection.stop();
      store.connection = null;
      store.set({ state: EMPTY_REALTIME_STATE });
    };
  }, [client, enabled, role, store, userId]);

  return <RealtimeContext.Provider value={enabled ? store : null}>{children}</RealtimeContext.Provider>;
}

const CLOSED: Snapshot = { status: 'closed', state: EMPTY_REALTIME_STATE };
const noStore = () => () => {};

/** The socket's connection status and what it has delivered (closed and empty outside the provider). */
export function useRealtime(): Snapshot & { available: boolean; retry: () => void } {
  const store = useContext(RealtimeContext);
  const snapshot = useSyncExternalStore(store?.subscribe ?? noStore, store?.get ?? (() => CLOSED));
  return { ...snapshot, available: store !== null, retry: () => store?.connection?.retryNow() };
}
