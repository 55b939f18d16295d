import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in web/ and is built into dist/web, which the server serves with an SPA fallback.
// In development (npm run dev + npx vite) the API, its docs and the OpenAPI document are proxied to the server.
const API_TARGET = 'http://localhost:8080';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
      '/docs': { target: API_TARGET, changeOrigin: false },
      '/openapi.json': { target: API_TARGET, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
