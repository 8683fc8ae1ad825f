import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The admin dashboard: built from web/ into <repo>/dist/web, served by Recur at /admin/. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  // Vite 8 compiles TSX with oxc; no React plugin needed (no fast refresh in dev).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); harmless in an SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite --config web/vite.config.ts` proxies the API to a local `recur start`.
    proxy: {
      '/v1': 'http://127.0.0.1:4310',
      '/auth': 'http://127.0.0.1:4310',
    },
  },
});
