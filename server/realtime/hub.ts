import type { WebSocket } from 'ws';
import type { RealtimeServerMessage } from '../../core/contracts/acd';
import type { AcdNotice, AcdService } from '../modules/acd/acd.service';

/** How often at most a wallboard snapshot goes out (issue #4: on the screen within 100 ms; redraw ≤ 10/s). */
export const WALLBOARD_MIN_INTERVAL_MS = 100;

type Client = { socket: WebSocket; userId: string; role: string };

/**
 * The real-time hub of one process: agents' sockets get their own offers and call events, supervisors' and admins'
 * sockets the wallboard. Wallboard snapshots are coalesced: the first change after a quiet period goes out at once,
 * later ones at most every 100 ms. Real (wall-clock) timers: delivery pacing is not a domain decision.
 */
export class RealtimeHub {
  private readonly byUser = new Map<string, Set<Client>>();
  private readonly boards = new Set<Client>();
  private lastBoardAt = 0;
  private boardTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly acd: AcdService) {
    this.unsubscribe = acd.subscribe((n) => this.onNotice(n));
  }

  get connections(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Registers an authenticated socket; returns the function that removes it. */
  attach(socket: WebSocket, userId: string, role: string): () => void {
    const client: Client = { socket, userId, role };
    const set = this.byUser.get(userId) ?? new Set<Client>();
    set.add(client);
    this.byUser.set(userId, set);
    if (role === 'supervisor' || role === 'admin') this.boards.add(client);
    return () => {
      set.delete(client);
      if (set.size === 0) this.byUser.delete(userId);
      this.boards.delete(client);
    };
  }

  /** Sends one message to one socket (dropped if the socket is not open). */
  send(socket: WebSocket, message: RealtimeServerMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Sends the wallboard snapshot to one socket now. */
  sendWallboard(socket: WebSocket): void {
    this.send(socket, { type: 'wallboard', snapshot: this.acd.wallboard() });
  }

  private onNotice(notice: AcdNotice): void {
    if (notice.kind === 'agent') {
      const set = this.byUser.get(notice.agentId);
      if (!set) return;
      const text = JSON.stringify(notice.message);
      for (const c of set) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
      return;
    }
    this.scheduleBoard();
  }

  private scheduleBoard(): void {
    if (this.boards.size === 0 || this.boardTimer) return;
    const wait = this.lastBoardAt + WALLBOARD_MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.broadcastBoard();
      return;
    }
    this.boardTimer = setTimeout(() => {
      this.boardTimer = null;
      this.broadcastBoard();
    }, wait);
    this.boardTimer.unref();
  }

  private broadcastBoard(): void {
    this.lastBoardAt = Date.now();
    const text = JSON.stringify({ type: 'wallboard', snapshot: this.acd.wallboard() } satisfies RealtimeServerMessage);
    for (const c of this.boards) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
  }

  close(): void {
    this.unsubscribe();
    if (this.boardTimer) clearTimeout(this.boardTimer);
    for (const set of this.byUser.values()) for (const c of set) c.socket.close(1001, 'server closing');
    this.byUser.clear();
    this.boards.clear();
  }
}
