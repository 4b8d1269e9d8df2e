/**
 * Vite build of the reference user service for production (`npm run build:server`, part of
 * `npm run build`): src/server compiled to plain JavaScript in dist/server, one ES module per entry
 * with the service's runtime packages (hono, @hono/node-server, better-sqlite3, zod) left as
 * imports, so `npx latch-server` runs it with plain Node: no tsx, no dev dependencies.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  // No demo pages or public assets: this build is Node code only.
  publicDir: false,
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist/server',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    rollupOptions: {
      // main: the standalone service; app: createService for embedding it in another Node server.
      input: { main: 'src/server/main.ts', app: 'src/server/app.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
