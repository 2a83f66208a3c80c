// Comments in real Chromium against the real server: a case group member asks about an
// episode and mentions a review team member (typing '@' offers the review's people);
// the review team member, on the board at the time, is told at once, opens the thread
// from the comments dialog and replies; the thread is resolved and folds away; a board
// member reads comments but has nowhere to write one.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { SCREENSHOTS, accessibilityProblems, converged, launchBrowser, openBoard, startServer, waitFor } from './harness.mjs'

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

const shoot = (locator, name) => locator.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })

test('a question about an episode reaches the person mentioned, who replies; then it is resolved', async () => {
  const review = await server.createReview({ title: 'Child C', people: ['sam', 'ana', 'bea'] })
  const sam = await openBoard(browser, server, review, 'sam', { bypassCSP: true })
  const ana = await openBoard(browser, server, review, 'ana')
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Home visit cancelled', dateStart: '2024-02-02' })
  })
  await converged(ana.page, sam.page)
  await sam.page.getByTestId('comments-button').waitFor()
  assert.equal(await sam.page.getByTestId('comments-new').count(), 0, 'nothing new yet')

  // Ana opens the episode and asks, mentioning Sam from the list '@' offers.
  await ana.page.getByTestId('episode-row').first().click()
  const comments = ana.page.getByTestId('item-comments')
  await comments.getByText('No comments yet.').waitFor()
  const box = comments.getByLabel('New comment')
  await box.click()
  await box.pressSequentially('Why was this visit cancelled? @sa')
  const offer = comments.getByRole('option', { name: 'Sam Jones' })
  await offer.waitFor()
  assert.equal(await offer.getAttribute('aria-selected'), 'true')
  await shoot(comments, 'comments-mention')
  await box.press('Enter')
  assert.equal(await box.inputValue(), 'Why was this visit cancelled? @Sam Jones ')
  await box.pressSequentially('do you know?')
  await box.press('Control+Enter')
  const posted = comments.getByTestId('comment')
  await posted.getByText('Why was this visit cancelled?').waitFor()
  assert.equal(await posted.locator('.mention').innerText(), '@Sam Jones')
  assert.equal(await box.inputValue(), '', 'the box is empty again')

  // Sam is told straight away (no reload), and opens the thread from the dialog.
  await sam.page.getByTestId('comments-new').getByText('1').waitFor({ timeout: 10_000 })
  await sam.page.getByTestId('comments-button').click()
  const dialog = sam.page.getByRole('dialog', { name: 'Comments' })
  const thread = dialog.getByTestId('comment-thread')
  await thread.getByText('Ana Patel').waitFor()
  await thread.getByText('new', { exact: false }).first().waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'the comments dialog')
  await shoot(dialog, 'comments-dialog')
  await thread.getByRole('button', { name: 'On episode E1 “Home visit cancelled”' }).click()
  await waitFor(async () => (await sam.page.getByRole('dialog', { name: 'Comments' }).count()) === 0, 'the dialog closes')
  // Reading them in the dialog marked them read.
  await waitFor(async () => (await sam.page.getByTestId('comments-new').count()) === 0, 'nothing new any more')

  // The episode is open beside the table with the thread; Sam replies.
  const panel = sam.page.getByTestId('item-comments')
  await panel.getByText('Why was this visit cancelled?').waitFor()
  await panel.getByRole('button', { name: 'Reply' }).click()
  const reply = panel.getByLabel('Reply')
  await reply.fill('The family asked to move it.')
  await panel.getByRole('button', { name: 'Post reply' }).click()
  await panel.getByText('The family asked to move it.').waitFor()
  assert.deepEqual(await accessibilityProblems(sam.page), [], 'an episode panel with comments')

  // Ana sees the reply in her open panel, and resolves her thread: it folds away.
  await comments.getByText('The family asked to move it.').waitFor({ timeout: 10_000 })
  await ana.page.getByTestId('comments-new').getByText('1').waitFor({ timeout: 10_000 })
  await shoot(comments, 'comments-thread')
  await comments.getByRole('button', { name: 'Resolve' }).click()
  await comments.getByRole('button', { name: 'Show 1 resolved thread' }).waitFor()
  assert.equal(await comments.getByText('The family asked to move it.').count(), 0)

  // Bea (board member) reads the resolved thread but has no box to write in.
  const bea = await openBoard(browser, server, review, 'bea')
  await bea.page.getByTestId('episode-row').first().click()
  const beas = bea.page.getByTestId('item-comments')
  await beas.getByRole('button', { name: 'Show 1 resolved thread' }).click()
  await beas.getByText('Resolved by Ana Patel', { exact: false }).waitFor()
  assert.equal(await beas.getByLabel('New comment').count(), 0)
  assert.equal(await beas.getByRole('button', { name: 'Reply' }).count(), 0)

  // Comments are beside the board, not in it.
  const board = await sam.page.evaluate(() => JSON.stringify(window.__board.toPlain()))
  assert.ok(!board.includes('family asked'), 'the board holds no comment')
})
