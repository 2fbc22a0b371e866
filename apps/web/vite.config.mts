import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The web app: built into dist/apps/web, which the API serves at / (npm start builds it when stale).
// `nx serve web` runs Vite's dev server against an API on :3000.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: '../../dist/apps/web', emptyOutDir: true, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 1500 },
  server: { port: 4200, proxy: Object.fromEntries(['/api', '/docs-json', '/health'].map((p) => [p, 'http://localhost:3000'])) },
});
