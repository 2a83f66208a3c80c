import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// The board server serves the built app (web/dist) and the sync endpoint; in
// development `vite` proxies /sync and /api to a server on 127.0.0.1:8080, keeping the
// Host header, so the server sees the page's own origin (it refuses cross-site writes).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
      '/healthz': 'http://127.0.0.1:8080',
      '/api': { target: 'http://127.0.0.1:8080' },
    },
  },
  build: { sourcemap: true },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
