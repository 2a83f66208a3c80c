// Runs the real board server and real Chromium for the browser tests.
//
//   SERVER_BIN   the board binary (default ../target/debug/board)
//   CHROMIUM     the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR  where screenshots go (default ../target/e2e-artifacts)

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'

import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? path.resolve(here, '../../target/e2e-artifacts')

/** Starts `board serve` on a free port with a fresh SQLite file and the built app. */
export async function startServer() {
  const bin = process.env.SERVER_BIN ?? path.resolve(here, '../../target/debug/board')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-e2e-'))
  const child = spawn(
    bin,
    ['serve', '--listen', '127.0.0.1:0', '--database-url', `sqlite://${dir}/board.db`, '--static-dir', path.resolve(here, '../dist')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  child.stderr.on('data', (d) => (log += d))
  const base = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = String(d).match(/listening on (\S+)/)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)))
  })
  return {
    base,
    log: () => log,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
  }
}

export async function launchBrowser() {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** One person: a separate browser context (own storage, IndexedDB and BroadcastChannel). */
export async function openBoard(browser, base, board, options = {}) {
  // bypassCSP only where a test injects axe-core; the app itself runs under its CSP.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: !!options.bypassCSP })
  const person = options.person === undefined ? { name: 'Sam Jones', agency: 'Health visiting' } : options.person
  if (person) {
    await context.addInitScript((identity) => {
      localStorage.setItem('board.identity', JSON.stringify(identity))
    }, person)
  }
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${base}/b/${board}`)
  if (person) await page.getByTestId('connection').getByText('Connected').waitFor()
  return { context, page, errors }
}

/** The board's content as canonical JSON (sorted keys), as this page holds it. */
export const boardJson = (page) =>
  page.evaluate(() => {
    const canonical = (v) =>
      Array.isArray(v)
        ? v.map(canonical)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]))
          : v
    return JSON.stringify(canonical(window.__board.doc.toJSON()))
  })

/** Waits until every page holds the same board. */
export async function converged(...pages) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const all = await Promise.all(pages.map(boardJson))
    if (all.every((j) => j === all[0])) return JSON.parse(all[0])
    if (Date.now() > deadline) assert.fail(`the boards did not converge:\n${all.join('\n\n')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Runs axe-core in the page; returns serious and critical violations. */
export async function accessibilityProblems(page) {
  await page.addScriptTag({ path: path.resolve(here, '../node_modules/axe-core/axe.min.js') })
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }),
  )
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
}

export const screenshot = (page, name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })

export const uniqueBoard = (prefix) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`
