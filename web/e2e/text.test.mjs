// Free-text fields with emoji and other characters outside the Basic Multilingual
// Plane (two UTF-16 units each), typed by two people at once in real Chromium.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { converged, launchBrowser, openBoard, screenshot, startServer } from './harness.mjs'

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

/** No half of a surrogate pair on its own, and no U+FFFD standing in for one. */
function assertIntact(text, where) {
  assert.ok(!/\p{Surrogate}/u.test(text), `${where} has a lone surrogate: ${JSON.stringify(text)}`)
  assert.ok(!text.includes('\uFFFD'), `${where} has U+FFFD: ${JSON.stringify(text)}`)
}

test('two people typing emoji and other astral characters into one field both keep them whole', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Home visit')
  await ana.page.getByTestId('episode-row').first().click()
  const field = (person) => person.page.getByTestId('episode-what-happened')
  await field(sam).fill('a😀b 🙂')
  await converged(sam.page, ana.page)

  // Sam selects 😀 and types over it, starting with 😁 (the same first UTF-16 unit);
  // Ana, at the same moment, types in front of 🙂 (again the same first unit). Both
  // type a ZWJ sequence, a flag, a CJK extension B character and combining accents.
  const samTyped = '😁👩‍👩‍👧🇫🇷'
  const anaTyped = '😃🇬🇧𠀋e\u0301 '
  await field(sam).click()
  await sam.page.keyboard.press('Control+Home')
  await sam.page.keyboard.press('ArrowRight')
  await sam.page.keyboard.press('Shift+ArrowRight')
  await field(ana).click()
  await ana.page.keyboard.press('Control+End')
  await ana.page.keyboard.press('ArrowLeft')
  await Promise.all([sam.page.keyboard.type(samTyped, { delay: 20 }), ana.page.keyboard.type(anaTyped, { delay: 20 })])

  const expected = `a${samTyped}b ${anaTyped}🙂`
  const [episode] = Object.values((await converged(sam.page, ana.page)).episodes)
  assertIntact(episode.whatHappened, 'the board')
  assert.equal(episode.whatHappened, expected)
  for (const person of [sam, ana]) {
    const shown = await field(person).inputValue()
    assertIntact(shown, 'the text box')
    assert.equal(shown, expected)
  }
  // Each caret is still just after what that person typed.
  const caret = (person) => field(person).evaluate((box) => [box.selectionStart, box.selectionEnd])
  assert.deepEqual(await caret(sam), [`a${samTyped}`.length, `a${samTyped}`.length])
  assert.deepEqual(await caret(ana), [expected.length - '🙂'.length, expected.length - '🙂'.length])

  // Both at the end at once: each person's characters stay together and whole.
  const samMore = ' 👍🏽🏳️‍🌈'
  const anaMore = ' 🇮🇪𠀌👨‍👩‍👦'
  await Promise.all([sam.page.keyboard.press('Control+End'), ana.page.keyboard.press('Control+End')])
  await Promise.all([sam.page.keyboard.type(samMore, { delay: 20 }), ana.page.keyboard.type(anaMore, { delay: 20 })])
  const [after] = Object.values((await converged(sam.page, ana.page)).episodes)
  assertIntact(after.whatHappened, 'the board')
  assert.ok(after.whatHappened.startsWith(expected), JSON.stringify(after.whatHappened))
  const added = after.whatHappened.slice(expected.length)
  assert.ok([samMore + anaMore, anaMore + samMore].includes(added), JSON.stringify(added))
  for (const person of [sam, ana]) assert.equal(await field(person).inputValue(), after.whatHappened)

  await screenshot(sam.page, 'text-emoji')
  assert.deepEqual([...sam.errors, ...ana.errors], [])
  await Promise.all([sam.context.close(), ana.context.close()])
})
