// Runs the real board server and real Chromium for the browser tests.
//
//   SERVER_BIN   the board binary (default ../target/debug/board)
//   CHROMIUM     the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR  where screenshots go (default ../target/e2e-artifacts)
//
// Each server starts with an administrator (made with `board user create`, as an
// operator would). Tests then make reviews with `server.createReview()`: the
// administrator creates the review (and leads it), invites the people it names in
// their roles, and each invitation is accepted through the API, which creates the
// person's account the first time. Every person is a separate account; a browser
// context is signed in as one of them with `signIn()`, or straight onto a board with
// `openBoard()`.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'

import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? path.resolve(here, '../../target/e2e-artifacts')
const BIN = process.env.SERVER_BIN ?? path.resolve(here, '../../target/debug/board')

/** Everyone's password in the tests (at least 10 characters, as the server asks). */
export const PASSWORD = 'correct horse battery staple'

/** The people the tests use, and the role each has by default in a new review. */
export const PEOPLE = {
  admin: { name: 'Alex Admin', agency: 'Safeguarding partnership', email: 'admin@example.org', role: 'lead_reviewer' },
  sam: { name: 'Sam Jones', agency: 'Health visiting', email: 'sam.jones@example.org', role: 'review_team_member', job_title: 'Health visitor' },
  ana: { name: 'Ana Patel', agency: 'Police', email: 'ana.patel@example.org', role: 'case_group_member', job_title: 'Detective sergeant' },
  jo: { name: 'Jo Okafor', agency: 'Education', email: 'jo.okafor@example.org', role: 'review_team_member', job_title: 'Designated safeguarding lead' },
  olu: { name: 'Olu Obi', agency: 'Independent scrutiny', email: 'olu.obi@example.org', role: 'observer', job_title: 'Quality assurance officer' },
  bea: { name: 'Bea Grant', agency: 'Safeguarding partnership board', email: 'bea.grant@example.org', role: 'board_member', job_title: 'Board chair' },
  kim: { name: 'Kim Lee', agency: 'Children’s social care', email: 'kim.lee@example.org', role: 'review_team_member', job_title: 'Team manager' },
}

function run(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`board ${args.join(' ')} exited with ${code}: ${err}`))))
    child.stdin.end(input)
  })
}

/** The session cookie's value from a response's Set-Cookie. */
function sessionFrom(response) {
  for (const cookie of response.headers.getSetCookie()) {
    const m = /^board_session=([^;]+)/.exec(cookie)
    if (m) return m[1]
  }
  return null
}

/**
 * Starts `board serve` on a free port with a fresh SQLite file and the built app, with
 * an administrator created beforehand from the command line (unless `admin` is false:
 * then the server prints its one-time setup link, see `setupCode()`). `args` go to
 * `board serve` as they are.
 */
export async function startServer({ admin: withAdmin = true, args = [], demo = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'board-e2e-'))
  const databaseUrl = `sqlite://${dir}/board.db`
  // The demo partnership (`board demo`), loaded into the new database before it serves.
  const demoPassword = demo ? /password is (\S+)/.exec(await run(['demo', '--database-url', databaseUrl], ''))?.[1] : null
  if (demo) withAdmin = false
  const admin = PEOPLE.admin
  const adminId = withAdmin
    ? await run(
        ['user', 'create', '--email', admin.email, '--name', admin.name, '--agency', admin.agency, '--admin', '--database-url', databaseUrl],
        `${PASSWORD}\n`,
      )
    : null
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--database-url', databaseUrl, '--static-dir', path.resolve(here, '../dist'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stderr.on('data', (d) => (log += d))
  const base = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = String(d).match(/listening on (\S+)/)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)))
  })

  /** Session cookies by person key, once they have an account. */
  const sessions = new Map()
  const ids = new Map([['admin', adminId]])

  /** Calls the API as `who` (a key of PEOPLE, or null for nobody). */
  async function api(who, method, url, body) {
    const headers = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    // State-changing requests from a page carry its origin; the server checks it.
    if (method !== 'GET') headers.Origin = base
    const cookie = who ? sessions.get(who) : null
    if (cookie) headers.Cookie = `board_session=${cookie}`
    const response = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    const json = text ? JSON.parse(text) : undefined
    if (!response.ok) throw new Error(`${method} ${url} as ${who}: ${response.status} ${text}`)
    return { json, response }
  }

  if (withAdmin) {
    const signedIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body: JSON.stringify({ email: admin.email, password: PASSWORD }),
    })
    assert.equal(signedIn.status, 200, 'the administrator signs in')
    sessions.set('admin', sessionFrom(signedIn))
  }

  /** `who` joins a review through an invitation (creating their account the first time). */
  async function join(reviewId, who, role) {
    const person = PEOPLE[who]
    const { json: created } = await api('admin', 'POST', `/api/reviews/${reviewId}/invitations`, {
      role,
      name: person.name,
      email: person.email,
      agency: person.agency,
      job_title: person.job_title ?? '',
    })
    const secret = created.path.replace('/invite#', '')
    if (sessions.has(who)) {
      await api(who, 'POST', '/api/invitations/accept', { secret })
    } else {
      const { json: accepted, response } = await api(null, 'POST', '/api/invitations/accept', { secret, password: PASSWORD })
      sessions.set(who, sessionFrom(response))
      ids.set(who, accepted.user.id)
    }
  }

  let reviews = 0
  /**
   * A new review led by the administrator, with `people` in it: a list of keys of
   * PEOPLE (each in their default role) or an object { key: role }.
   */
  async function createReview({ title, caseRef = '', people = ['sam', 'ana'] } = {}) {
    reviews += 1
    const { json: review } = await api('admin', 'POST', '/api/reviews', {
      title: title ?? `Review ${reviews}`,
      case_ref: caseRef || `LCSPR-${String(reviews).padStart(3, '0')}`,
      kind: 'lcspr',
      variant: 'full',
    })
    const entries = Array.isArray(people) ? people.map((who) => [who, PEOPLE[who].role]) : Object.entries(people)
    for (const [who, role] of entries) await join(review.id, who, role)
    return review
  }

  /** Signs in one of the demo's people by email, as `who` from then on. */
  async function signInDemo(who, email) {
    const response = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: base },
      body: JSON.stringify({ email, password: demoPassword }),
    })
    assert.equal(response.status, 200, `${email} signs in with the demo's password`)
    sessions.set(who, sessionFrom(response))
  }

  return {
    base,
    log: () => log,
    api,
    createReview,
    signInDemo,
    /** A person's session cookie (they need an account first: be in a review). */
    sessionOf: (who) => sessions.get(who),
    userId: (who) => ids.get(who),
    /** The one-time code of the setup link the server logged (a server without accounts). */
    setupCode: () => /\/setup#(\S+)/.exec(log)?.[1] ?? null,
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

/**
 * One person: a separate browser context (own storage, IndexedDB and BroadcastChannel),
 * signed in as `who` (a key of PEOPLE), or as nobody with `who` null.
 */
export async function signIn(browser, server, who, options = {}) {
  // bypassCSP only where a test injects axe-core; the app itself runs under its CSP.
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: 'en-GB',
    bypassCSP: !!options.bypassCSP,
  })
  if (who) {
    const value = server.sessionOf(who)
    assert.ok(value, `${who} has an account (put them in a review first)`)
    await context.addCookies([{ name: 'board_session', value, url: server.base, httpOnly: true, sameSite: 'Lax' }])
  }
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return { context, page, errors }
}

/** `who` signed in, on the board of `review` (an id or a review), connected. */
export async function openBoard(browser, server, review, who = 'sam', options = {}) {
  const person = await signIn(browser, server, who, options)
  await person.page.goto(`${server.base}/r/${typeof review === 'string' ? review : review.id}/board${options.view ? `?view=${options.view}` : ''}`)
  await person.page.getByTestId('connection').getByText('Connected').waitFor()
  return person
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

/**
 * Waits until `condition` (sync or async) returns something truthy, and returns it. A
 * condition that throws counts as not yet met. Fails after `timeout` ms with `what`
 * (a string, or a function giving one, e.g. the state last seen) and the last error.
 * The one way the browser tests wait for something the page cannot signal.
 */
export async function waitFor(condition, what, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout
  for (;;) {
    let lastError = null
    try {
      const result = await condition()
      if (result) return result
    } catch (e) {
      lastError = e
    }
    if (Date.now() > deadline) {
      const said = typeof what === 'function' ? await what() : what
      assert.fail(lastError ? `${said}: ${lastError.message}` : said)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Waits until every page holds the same board. */
export async function converged(...pages) {
  let all = []
  await waitFor(
    async () => {
      all = await Promise.all(pages.map(boardJson))
      return all.every((j) => j === all[0])
    },
    () => `the boards did not converge:\n${all.join('\n\n')}`,
  )
  return JSON.parse(all[0])
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

/** Whether the board's copy on the device (IndexedDB, y-indexeddb's stored updates) holds `text`. */
export const storedOnDevice = (page, text) =>
  page.evaluate(async (text) => {
    const request = (r) => new Promise((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))))
    const db = await request(indexedDB.open(window.__board.local.name))
    try {
      const updates = await request(db.transaction('updates').objectStore('updates').getAll())
      const needle = new TextEncoder().encode(text)
      const has = (bytes) => bytes.some((_, i) => needle.every((b, j) => bytes[i + j] === b))
      return updates.some(has)
    } finally {
      db.close()
    }
  }, text)
