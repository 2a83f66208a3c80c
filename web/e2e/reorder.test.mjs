// Arranging the table in real Chromium: rows move from the keyboard (Alt+arrows) and by
// dragging their handle, "Put in date order" arranges them as one change that one undo
// takes back, and every episode keeps its reference (E1, E2, …) throughout.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { accessibilityProblems, converged, launchBrowser, openBoard, screenshot, startServer, waitFor } from './harness.mjs'

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

const arranged = (page) => page.evaluate(() => window.__board.toPlain().episodes.map((e) => `${e.ref}:${e.title}`))

test('rows move by keyboard and by dragging, date order is one change, and references stay', async () => {
  const review = await server.createReview({ title: 'Child G', people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  const ana = await openBoard(browser, server, review, 'ana')
  for (const [title, dateStart] of [['Discharge', '2025-09-01'], ['Referral', '2025-02-01'], ['Home visit', '2025-05-01']]) {
    await sam.page.evaluate(([t, d]) => window.__board.schema.addEpisode(window.__board.doc, { title: t, dateStart: d }), [title, dateStart])
  }
  await waitFor(async () => (await arranged(sam.page)).join() === 'E1:Discharge,E2:Referral,E3:Home visit', 'the rows have references')
  await converged(sam.page, ana.page)

  // From the keyboard: the first row down one place.
  const rows = sam.page.getByTestId('episode-row')
  await rows.first().locator('th').click()
  await sam.page.keyboard.press('Escape')
  await sam.page.keyboard.press('Alt+ArrowDown')
  await sam.page.getByTestId('moved').getByText('E1 is now 2 of 3.').waitFor({ state: 'attached' })
  await waitFor(async () => (await arranged(ana.page)).join() === 'E2:Referral,E1:Discharge,E3:Home visit', 'Ana sees the row moved')

  // By dragging: the last row to the top.
  const handle = rows.nth(2).locator('.drag-handle')
  const from = await handle.boundingBox()
  const to = await rows.first().boundingBox()
  await sam.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
  await sam.page.mouse.down()
  for (let step = 1; step <= 10; step++) {
    await sam.page.mouse.move(from.x + from.width / 2, from.y + (to.y + 4 - from.y) * (step / 10))
  }
  await sam.page.mouse.up()
  await waitFor(async () => (await arranged(ana.page)).join() === 'E3:Home visit,E2:Referral,E1:Discharge', 'Ana sees the dragged row first')
  // The drag is over (the row has settled) before anything else is clicked.
  await sam.page.locator('tr.dragging').waitFor({ state: 'detached' })
  await waitFor(async () => (await arranged(sam.page)).join() === 'E3:Home visit,E2:Referral,E1:Discharge', 'Sam’s board agrees')

  // Date order as one change; one undo takes it back.
  await sam.page.getByRole('button', { name: 'Put in date order' }).click()
  await waitFor(async () => (await arranged(ana.page)).join() === 'E2:Referral,E3:Home visit,E1:Discharge', 'date order')
  await screenshot(sam.page, 'table-date-order')
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'the table with handles')
  await sam.page.getByRole('button', { name: /^Undo/ }).click()
  await waitFor(async () => (await arranged(ana.page)).join() === 'E3:Home visit,E2:Referral,E1:Discharge', 'one undo takes the date order back')

  // Filtered or sorted, rows do not move.
  await sam.page.getByLabel('Order').selectOption('date')
  assert.equal(await rows.first().locator('.drag-handle').count(), 0)
  for (const person of [sam, ana]) assert.deepEqual(person.errors, [])
})

test('three people adding rows at the same moment each keep their rows together', async () => {
  const review = await server.createReview({ title: 'Child R', people: ['sam', 'ana', 'jo'] })
  const people = {}
  for (const who of ['sam', 'ana', 'jo']) people[who] = await openBoard(browser, server, review, who)
  await people.sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await people.sam.page.getByTestId('episode-title').fill('First contact')
  for (const who of ['ana', 'jo']) await people[who].page.getByTestId('episode-row').getByText('First contact').waitFor()
  // All three go offline, add three rows each with the Add episode button, and come back.
  for (const { page } of Object.values(people)) await page.evaluate(() => window.__board.disconnect())
  for (const [who, { page }] of Object.entries(people)) {
    for (let i = 1; i <= 3; i++) {
      await page.getByRole('button', { name: 'Add episode', exact: true }).click()
      await page.getByTestId('episode-title').fill(`${who} ${i}`)
      await page.keyboard.press('Escape')
    }
  }
  for (const { page } of Object.values(people)) await page.evaluate(() => window.__board.connect())
  const titles = (page) => page.evaluate(() => window.__board.toPlain().episodes.map((e) => e.title))
  await waitFor(async () => (await titles(people.sam.page)).length === 10, 'every row everywhere')
  await converged(...Object.values(people).map((p) => p.page))
  const shown = await titles(people.sam.page)
  for (const { page } of Object.values(people)) assert.deepEqual(await titles(page), shown, 'one order for everyone')
  for (const who of ['sam', 'ana', 'jo']) {
    const at = shown.indexOf(`${who} 1`)
    assert.deepEqual(shown.slice(at, at + 3), [`${who} 1`, `${who} 2`, `${who} 3`], `${who}'s rows together: ${shown.join(' | ')}`)
  }
  // The table shows that order.
  const rows = await people.ana.page.getByTestId('episode-row').locator('th').allInnerTexts()
  assert.equal(rows.length, 10)
  shown.forEach((title, i) => assert.ok(rows[i].includes(title), `row ${i + 1} is “${title}”: ${rows[i]}`))
})
