import type { WebSocket } from 'ws';
import type { RealtimeServerMessage, WallboardSnapshot } from '../../core/contracts/acd';
import type { AcdNotice, AcdService } from '../modules/acd/acd.service';

/** How often at most a wallboard snapshot goes out (issue #4: on the screen within 100 ms; redraw ≤ 10/s). */
export const WALLBOARD_MIN_INTERVAL_MS = 100;

type Client = { socket: WebSocket; userId: string; role: string; sessionId: string; departmentId: string | null };

/** Close code for a socket whose session ended (revoked, signed out, expired, idle): the client does not reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/** How often open sockets re-check their sessions (a revoked session's socket closes within this time). */
export const SESSION_RECHECK_MS = 15_000;

/** The line as a desk sees it: calls waiting now and the longest wait (from the wallboard snapshot). */
function lineOf(snapshot: WallboardSnapshot): Extract<RealtimeServerMessage, { type: 'line' }> {
  return { type: 'line', waiting: snapshot.waiting, longestWaitSeconds: snapshot.longestWaitSeconds, at: snapshot.at };
}

/**
 * The real-time hub of one process: agents' sockets get their own offers and call events, supervisors' and admins'
 * sockets the wallboard. Wallboard snapshots are coalesced: the first change after a quiet period goes out at once,
 * later ones at most every 100 ms. Real (wall-clock) timers: delivery pacing is not a domain decision.
 */
export class RealtimeHub {
  private readonly byUser = new Map<string, Set<Client>>();
  private readonly boards = new Set<Client>();
  /** Wall-TV display sockets: boards that belong to no user's set (see attach). */
  private readonly displays = new Set<Client>();
  /** Desk sockets (agents and supervisors who take calls): told how many calls wait (issue #18 item 2). */
  private readonly desks = new Set<Client>();
  private lastBoardAt = 0;
  private boardTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;

  private recheckTimer: ReturnType<typeof setInterval> | null = null;

  /** `isSessionAlive` answers whether a socket's session may still be used (see revalidate). */
  constructor(
    private readonly acd: AcdService,
    private readonly isSessionAlive: (sessionId: string) => Promise<boolean> = async () => true,
  ) {
    this.unsubscribe = acd.subscribe((n) => this.onNotice(n));
  }

  /** Re-checks every open socket's session every SESSION_RECHECK_MS (server only; tests call revalidate()). */
  startSessionChecks(intervalMs = SESSION_RECHECK_MS): void {
    if (this.recheckTimer) return;
    this.recheckTimer = setInterval(() => void this.revalidate().catch(() => undefined), intervalMs);
    this.recheckTimer.unref();
  }

  /**
   * Closes the sockets whose session ended since they connected (revoked, signed out, expired, idle, 2FA reset):
   * the socket was authenticated once at the upgrade, so without this a revoked session would keep receiving offers.
   * Returns how many sockets were closed.
   */
  async revalidate(): Promise<number> {
    const sessions = new Map<string, Client[]>();
    for (const set of this.byUser.values()) for (const c of set) sessions.set(c.sessionId, [...(sessions.get(c.sessionId) ?? []), c]);
    for (const c of this.displays) sessions.set(c.sessionId, [...(sessions.get(c.sessionId) ?? []), c]);
    let closed = 0;
    for (const [sessionId, clients] of sessions) {
      if (await this.isSessionAlive(sessionId)) continue;
      for (const c of clients) {
        c.socket.close(SESSION_ENDED_CLOSE_CODE, 'session ended');
        closed++;
      }
    }
    return closed;
  }

  get connections(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n + this.displays.size;
  }

  /**
   * Registers an authenticated socket; returns the function that removes it. A wall-TV display socket (issue #18 item
   * 7) is a board only: nothing addressed to its user (offers, caller cards, transfer cards) reaches it.
   */
  attach(socket: WebSocket, userId: string, role: string, sessionId: string, departmentId: string | null = null, display = false): () => void {
    const client: Client = { socket, userId, role, sessionId, departmentId };
    if (display) {
      this.boards.add(client);
      this.displays.add(client);
      return () => {
        this.boards.delete(client);
        this.displays.delete(client);
      };
    }
    const set = this.byUser.get(userId) ?? new Set<Client>();
    set.add(client);
    this.byUser.set(userId, set);
    if (role === 'supervisor' || role === 'admin') this.boards.add(client);
    if (role === 'agent' || role === 'supervisor') this.desks.add(client);
    return () => {
      set.delete(client);
      if (set.size === 0) this.byUser.delete(userId);
      this.boards.delete(client);
      this.desks.delete(client);
    };
  }

  /** Sends one message to one socket (dropped if the socket is not open). */
  send(socket: WebSocket, message: RealtimeServerMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Sends a message to every open socket of one user (the warm-transfer card to an official, its updates to the agent). */
  sendToUser(userId: string, message: RealtimeServerMessage): void {
    const set = this.byUser.get(userId);
    if (!set) return;
    const text = JSON.stringify(message);
    for (const c of set) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
  }

  /**
   * Tells the officials of one department that their inbox changed (a new hand-off): the message carries no content,
   * so nothing crosses the department wall; the inbox reloads its list through the API, which applies the wall.
   */
  notifyDepartmentInbox(departmentId: string, at: string): void {
    const text = JSON.stringify({ type: 'handoffs.changed', at } satisfies RealtimeServerMessage);
    for (const set of this.byUser.values()) {
      for (const c of set) if (c.role === 'official' && c.departmentId === departmentId && c.socket.readyState === c.socket.OPEN) c.socket.send(text);
    }
  }

  /** Sends a message to every supervisor's and admin's open socket at once (감정노동 보호 alerts, issue #14). */
  sendToBoards(message: RealtimeServerMessage): void {
    const text = JSON.stringify(message);
    for (const c of this.boards) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
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
    if ((this.boards.size === 0 && this.desks.size === 0) || this.boardTimer) return;
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
    const snapshot = this.acd.wallboard();
    const text = JSON.stringify({ type: 'wallboard', snapshot } satisfies RealtimeServerMessage);
    for (const c of this.boards) if (c.socket.readyState === c.socket.OPEN) c.socket.send(text);
    if (this.desks.size === 0) return;
    const line = JSON.stringify(lineOf(snapshot) satisfies RealtimeServerMessage);
    for (const c of this.desks) if (c.socket.readyState === c.socket.OPEN) c.socket.send(line);
  }

  /** Sends the line now (calls waiting, longest wait) to one desk socket. */
  sendLine(socket: WebSocket): void {
    this.send(socket, lineOf(this.acd.wallboard()));
  }

  close(): void {
    this.unsubscribe();
    if (this.boardTimer) clearTimeout(this.boardTimer);
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const set of this.byUser.values()) for (const c of set) c.socket.close(1001, 'server closing');
    this.byUser.clear();
    this.boards.clear();
    this.desks.clear();
  }
}
