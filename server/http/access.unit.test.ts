import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { enforceAccessDeclarations, withDefaultAccess } from './access';

describe('enforceAccessDeclarations: a route without a rule cannot be registered', () => {
  it('refuses a route that declares no rule, wherever its path is', async () => {
    for (const url of ['/api/x', '/elsewhere', '/%61pi/x']) {
      const app = Fastify();
      enforceAccessDeclarations(app);
      expect(() => app.get(url, async () => 'ok'), url).toThrow(/declares no access rule/);
      await app.close();
    }
  });

  it('keeps a declared rule, and gives the routes of a default-access scope (third-party plugins) that scope’s rule', async () => {
    const app = Fastify();
    enforceAccessDeclarations(app);
    app.get('/api/own', { config: { access: ['admin'] } }, async (request) => request.routeOptions.config.access);
    await withDefaultAccess(app, 'public', async (scope) => {
      await scope.register(async (plugin) => {
        plugin.get('/docs/page', async (request) => request.routeOptions.config.access);
      });
    });
    // The default does not leak out of its scope.
    expect(() => app.get('/later', async () => 'ok')).toThrow(/declares no access rule/);
    expect((await app.inject({ url: '/api/own' })).json()).toEqual(['admin']);
    expect((await app.inject({ url: '/docs/page' })).body).toBe('public');
    await app.close();
  });
});
