import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the React app built into dist/web under /admin; any /admin path that is not a
 * file gets index.html, so client-side routes survive a reload.
 */
export async function mountWeb(app: FastifyInstance, webDir: string): Promise<void> {
  app.get('/', async (_request, reply) => reply.redirect('/admin/'));
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    app.get('/admin/*', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard has not been built. Run `npm run build:web` (npm install does it for you) and restart.'),
    );
    return;
  }
  const html = await readFile(index, 'utf8');
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, { root: webDir, prefix: '/admin/', wildcard: false, index: false, decorateReply: false });
  const sendIndex = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  // The router ignores trailing slashes, so '/admin' serves '/admin/' too (declaring both fails at start).
  app.get('/admin', sendIndex);
  app.get('/admin/*', sendIndex);
}
