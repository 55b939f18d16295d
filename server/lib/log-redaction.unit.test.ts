import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, maskForLog, REDACTED, serializeError, serializeRequest } from './log-redaction';

function capture(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(c.toString());
      done();
    },
  });
  const { stream: _s, ...options } = loggerOptions('debug', stream) as unknown as { stream: Writable } & pino.LoggerOptions;
  const logger = pino(options, stream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), text: () => chunks.join('') };
}

describe('log redaction: no personal data or credentials in logs', () => {
  it('blanks credentials and personal fields at the top level and two levels down', () => {
    const c = capture();
    c.logger.info(
      {
        req: { headers: { cookie: 'onecall_session=abc', authorization: 'Bearer xyz' } },
        body: { callerNumber: '010-7777-1234' },
        citizen: { phone: '+821077771234', name: '김영희' },
        deep: { row: { citizen_phone: '+821077771234', notes: '김영희 010-7777-1234', password: 'hunter22' } },
        password: 'hunter22',
        caseId: 'keep-me',
      },
      'x',
    );
    const text = c.text();
    for (const s of ['abc', 'xyz', '010-7777-1234', '+821077771234', '김영희', 'hunter22']) expect(text).not.toContain(s);
    const line = c.lines()[0]!;
    expect(line.caseId).toBe('keep-me');
    expect((line.citizen as Record<string, unknown>).phone).toBe(REDACTED);
    expect(line.password).toBe(REDACTED);
  });

  it('masks phone numbers and registration numbers inside error messages and stacks', () => {
    const c = capture();
    const err = Object.assign(new Error('duplicate caller 010-7777-1234 (900101-1234567)'), { code: 'E_DUP', detail: '+821077771234' });
    c.logger.error({ err }, 'failed');
    const text = c.text();
    expect(text).not.toContain('7777-1234');
    expect(text).not.toContain('+821077771234');
    expect(text).not.toContain('1234567');
    expect((c.lines()[0]!.err as Record<string, unknown>).code).toBe('E_DUP');
    expect(serializeError('plain 01077771234')).toEqual({ message: maskForLog('plain 01077771234') });
    expect(maskForLog('plain 01077771234')).not.toContain('77771234');
  });

  it('logs a request by method and route pattern, never its URL', () => {
    expect(serializeRequest({ method: 'GET', id: 'r1', routeOptions: { url: '/api/citizens/:id/card' } })).toEqual({ method: 'GET', route: '/api/citizens/:id/card', id: 'r1' });
  });
});
