import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { VitePWA } from 'vite-plugin-pwa'

// The board server serves the built app (web/dist) and the sync endpoint; in
// development `vite` proxies /sync and /api to a server on 127.0.0.1:8080, keeping the
// Host header, so the server sees the page's own origin (it refuses cross-site writes).
//
// A service worker (Workbox, through vite-plugin-pwa) keeps the app itself, and only the
// app, so that reloading a board while offline shows the board from this device's copy
// instead of the browser's error page. Nothing the server answers under /api or /sync is
// ever cached by it: review data stays in the board's own copy, which signing out deletes.
export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/, /^\/readyz/, /^\/metrics/],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        // A new version takes over open pages at once (the app holds no state the server
        // or the board's local copy does not).
        clientsClaim: true,
        skipWaiting: true,
        // The app's largest chunk (the factor map's libraries) is kept too.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
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
