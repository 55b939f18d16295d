import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { RealtimeClientMessageSchema, type AgentDeskState } from '../../core/contracts/acd';
import { AppError } from '../../core/errors';
import { currentUser } from '../http/access';
import type { RealtimeHub } from './hub';

// Officials get the warm-transfer cards addressed to them (issue #11).
const REALTIME_ROLES = ['agent', 'official', 'supervisor', 'admin'] as const;

/** True when the upgrade's Origin is this very site: a page of another site must not ride the session cookie. */
function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== 'null' && origin === `${request.protocol}://${request.host}`;
}

/**
 * GET /api/realtime: the WebSocket of desks and wallboards. Authenticated at the upgrade by the session cookie (the
 * session plugin applies the access rule before the upgrade) and refused from another Origin. Messages: see
 * core/contracts/acd.ts (RealtimeServerMessageSchema / RealtimeClientMessageSchema).
 */
export function realtimeRoutes(hub: RealtimeHub, acdDesk: (userId: string) => Promise<AgentDeskState>): FastifyPluginAsync {
  return async (app) => {
    app.route({
      method: 'GET',
      url: '/api/realtime',
      config: { access: REALTIME_ROLES, display: true },
      schema: { tags: ['realtime'], summary: 'WebSocket: offers and call events (agents), warm-transfer cards (officials), wallboard (supervisors). Upgrade only.' },
      preValidation: async (request) => {
        if (request.headers.upgrade && !isSameOrigin(request)) throw new AppError('FORBIDDEN', '허용되지 않은 출처의 연결입니다.');
      },
      handler: async () => {
        throw new AppError('VALIDATION_FAILED', 'WebSocket 연결(Upgrade)만 받습니다.');
      },
      wsHandler: (socket, request) => {
        const user = currentUser(request);
        const detach = hub.attach(socket, user.id, user.role, user.sessionId, user.departmentId, user.display === true);
        socket.on('close', detach);
        socket.on('error', detach);
        hub.send(socket, { type: 'hello', userId: user.id, role: user.role, at: new Date().toISOString() });
        // A wall-TV display (a supervisor's display session) gets the wallboard only, never a desk.
        if (!user.display && (user.role === 'agent' || user.role === 'supervisor')) {
          hub.sendLine(socket);
          acdDesk(user.id).then(
            (state) => hub.send(socket, { type: 'agent.state', state }),
            () => undefined,
          );
        }
        if (user.role === 'supervisor' || user.role === 'admin') hub.sendWallboard(socket);
        socket.on('message', (data) => {
          let parsed: ReturnType<typeof RealtimeClientMessageSchema.safeParse> | null = null;
          try {
            parsed = RealtimeClientMessageSchema.safeParse(JSON.parse(String(data)));
          } catch {
            parsed = null;
          }
          if (!parsed?.success) {
            hub.send(socket, { type: 'error', code: 'VALIDATION_FAILED', message: '알 수 없는 메시지입니다.' });
            return;
          }
          if (parsed.data.type === 'ping') hub.send(socket, { type: 'pong', at: new Date().toISOString() });
          else if (user.role === 'supervisor' || user.role === 'admin') hub.sendWallboard(socket);
          else hub.send(socket, { type: 'error', code: 'FORBIDDEN', message: '상황판은 관리자만 볼 수 있습니다.' });
        });
      },
    });
  };
}
