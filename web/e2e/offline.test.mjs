// Reloading without a connection, in real Chromium against the real server: the app is
// kept by its service worker, so the board opens from this device's copy with a notice
// (not the browser's error page); edits made then are kept and reach the others once the
// connection returns. Signing out forgets what the device remembered.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { accessibilityProblems, launchBrowser, openBoard, screenshot, startServer, storedOnDevice, waitFor } from './harness.mjs'

let server
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('a board reloaded offline opens from this device, and what is written then reaches the others', async () => {
  const review = await server.createReview({ title: 'Child D', people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana', { bypassCSP: true })
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Home visit' })
  })
  await ana.page.getByTestId('episode-row').first().getByText('Home visit').waitFor()
  await waitFor(() => ana.page.evaluate(() => navigator.serviceWorker.controller !== null), 'the app is kept by its service worker')
  await waitFor(() => storedOnDevice(ana.page, 'Home visit'), 'the board is kept on the device')

  // The connection goes, and Ana reloads: the board, not an error page.
  await ana.context.setOffline(true)
  await ana.page.reload()
  await ana.page.getByTestId('offline-notice').waitFor()
  await ana.page.getByTestId('episode-row').first().getByText('Home visit').waitFor()
  await screenshot(ana.page, 'offline-reload')
  assert.deepEqual(await accessibilityProblems(ana.page), [], 'the board opened offline')
  await ana.page.getByTestId('episode-row').first().click()
  await ana.page.getByTestId('episode-what-happened').fill('Written offline after a reload.')
  await ana.page.getByTestId('connection').getByText('kept on this device').waitFor()
  await waitFor(() => storedOnDevice(ana.page, 'Written offline after a reload.'), 'the edit is kept on the device')
  const samJson = await sam.page.evaluate(() => JSON.stringify(window.__board.doc.toJSON()))
  assert.ok(!samJson.includes('Written offline'), 'nothing reached the server while offline')

  // The connection returns: the edit reaches Sam, and the notice goes once the server answers.
  await ana.context.setOffline(false)
  await sam.page.getByTestId('episode-row').first().getByText('Written offline after a reload.').waitFor({ timeout: 30_000 })
  await ana.page.getByTestId('offline-notice').waitFor({ state: 'detached', timeout: 30_000 })

  // Signing out forgets what the device remembered: offline, there is no board to open.
  await ana.page.getByRole('button', { name: 'Sign out' }).click()
  await ana.page.getByRole('heading', { name: 'Sign in' }).waitFor()
  const remembered = await ana.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('board.remembered.')))
  assert.deepEqual(remembered, [])
  assert.deepEqual(ana.errors, [])
})
