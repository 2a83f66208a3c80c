// Accounts, reviews and roles in real Chromium against the real server: signing in,
// invitations, the review page, read-only boards and the history of each entity.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { PASSWORD, PEOPLE, accessibilityProblems, converged, launchBrowser, openBoard, screenshot, signIn, startServer, waitFor } from './harness.mjs'

let server
let browser

before(async () => {
  // Open boards find out within a second when someone's access changes.
  server = await startServer({ args: ['--access-recheck', '1s'] })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const noProblems = async (page, where) => assert.deepEqual(await accessibilityProblems(page), [], where)

test('people sign in with their email and password and find their reviews', async () => {
  await server.createReview({ title: 'Child Q', caseRef: 'LCSPR 2025-03', people: ['kim'] })
  await server.createReview({ title: 'Adult B', caseRef: 'SAR 2025-01', people: { kim: 'board_member' } })
  const kim = await signIn(browser, server, null, { bypassCSP: true })
  await kim.page.goto(`${server.base}/`)
  await kim.page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await screenshot(kim.page, 'sign-in')
  await noProblems(kim.page, 'sign-in page')

  // A wrong password: a clear error at the top and at the field, and no way in.
  await kim.page.getByLabel('Email address').fill(PEOPLE.kim.email)
  await kim.page.getByLabel('Password', { exact: true }).fill('not my password at all')
  await kim.page.getByRole('button', { name: 'Sign in' }).click()
  const summary = kim.page.getByTestId('error-summary')
  await summary.getByText('The email address or password is not right').waitFor()
  assert.equal(await kim.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'error-summary')
  await screenshot(kim.page, 'sign-in-error')
  await noProblems(kim.page, 'sign-in error')

  // The right one: the home page lists Kim's reviews with Kim's role in each.
  await kim.page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await kim.page.getByRole('button', { name: 'Sign in' }).click()
  await kim.page.getByRole('heading', { name: 'Your reviews' }).waitFor()
  const child = kim.page.getByTestId('review-row').filter({ hasText: 'Child Q' })
  await child.getByText('LCSPR 2025-03').waitFor()
  await child.getByText('Local child safeguarding practice review').waitFor()
  await child.getByText('Commissioning').waitFor()
  await child.getByText('Review team member').waitFor()
  await kim.page.getByTestId('review-row').filter({ hasText: 'Adult B' }).getByText('Board member').waitFor()
  await kim.page.getByTestId('account').getByText('Kim Lee').waitFor()
  assert.equal(await kim.page.getByRole('heading', { name: 'New review' }).count(), 0, 'only administrators create reviews')
  await screenshot(kim.page, 'home')
  await noProblems(kim.page, 'home page')

  // Still signed in after a reload. Kim opens a board: it is kept on her device.
  await kim.page.reload()
  await kim.page.getByRole('heading', { name: 'Your reviews' }).waitFor()
  await child.getByRole('link', { name: 'Open the board of Child Q' }).click()
  await kim.page.getByTestId('connection').getByText('Connected').waitFor()
  const localCopies = () =>
    kim.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n.startsWith('board:')))
  assert.equal((await localCopies()).length, 1)

  // She changes her password on her account page.
  await kim.page.getByRole('link', { name: 'Your account' }).click()
  await kim.page.getByRole('heading', { name: 'Your account' }).waitFor()
  await kim.page.getByTestId('account-details').getByText('Team manager').waitFor()
  await kim.page.getByLabel('Current password').fill('a wrong guess here')
  await kim.page.getByLabel('New password', { exact: true }).fill('a new and longer passphrase')
  await kim.page.getByLabel('Confirm new password').fill('a new and longer passphrase')
  await kim.page.getByRole('button', { name: 'Change password' }).click()
  await kim.page.getByTestId('error-summary').getByText('Your current password is not right').waitFor()
  await kim.page.getByLabel('Current password').fill(PASSWORD)
  await kim.page.getByRole('button', { name: 'Change password' }).click()
  await kim.page.getByText('Your password has been changed.').waitFor()
  await noProblems(kim.page, 'account page')

  // Signed out with the button, which also forgets the boards kept on this device;
  // back in with the new password.
  await kim.page.getByRole('button', { name: 'Sign out' }).click()
  await kim.page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await waitFor(async () => (await localCopies()).length === 0, 'the board kept on the device is deleted on signing out')
  await kim.page.goto(`${server.base}/`)
  await kim.page.getByRole('heading', { name: 'Sign in' }).waitFor()
  await kim.page.getByLabel('Email address').fill(PEOPLE.kim.email)
  await kim.page.getByLabel('Password', { exact: true }).fill('a new and longer passphrase')
  await kim.page.getByRole('button', { name: 'Sign in' }).click()
  await kim.page.getByRole('heading', { name: 'Your reviews' }).waitFor()
  assert.deepEqual(kim.errors, [])
  await kim.context.close()
})

test('a lead invites someone, who creates an account from the link and opens the board in their role', async () => {
  const review = await server.createReview({ title: 'Child R', caseRef: 'LCSPR 2025-07', people: ['sam'] })
  const lead = await signIn(browser, server, 'admin', { bypassCSP: true })
  await lead.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base })
  await lead.page.goto(`${server.base}/r/${review.id}`)
  await lead.page.getByRole('heading', { name: 'Child R', exact: true, level: 1 }).waitFor()
  await lead.page.getByTestId('role-notice').getByText('You are a Lead reviewer').waitFor()

  const form = lead.page.getByTestId('invite-form')
  await form.getByLabel('Name', { exact: true }).fill('Dee Fisher')
  await form.getByLabel('Email address', { exact: true }).fill('dee.fisher@example.org')
  await form.getByLabel('Agency', { exact: true }).fill('Adult mental health')
  await form.getByLabel('Job title', { exact: true }).fill('Community psychiatric nurse')
  await form.getByLabel('Case group member').check()
  await form.getByRole('button', { name: 'Create invitation' }).click()
  const created = lead.page.getByTestId('invitation-created')
  const link = await created.locator('input').inputValue()
  assert.match(link, new RegExp(`^${server.base}/invite#bi_`))
  await created.getByRole('button', { name: /^Copy/ }).click()
  await created.getByText('Copied.').waitFor()
  assert.equal(await lead.page.evaluate(() => navigator.clipboard.readText()), link)
  await lead.page.getByTestId('invitations').getByRole('rowheader', { name: /^Dee Fisher/ }).waitFor()
  await lead.page.getByTestId('invitations').getByRole('row', { name: /Dee Fisher/ }).getByText(/^Open until/).waitFor()
  await screenshot(lead.page, 'review-lead')
  await noProblems(lead.page, 'review page, lead')

  // Dee opens the link in her own browser: what the invitation is for, her details
  // filled in from it; she chooses a password and lands in the review.
  const dee = await signIn(browser, server, null, { bypassCSP: true })
  await dee.page.goto(link)
  await dee.page.getByRole('heading', { name: 'Join the review Child R' }).waitFor()
  await dee.page.getByTestId('invitation').getByText('Case group member').waitFor()
  await dee.page.getByTestId('invitation').getByText('LCSPR 2025-07', { exact: false }).waitFor()
  assert.equal(await dee.page.getByLabel('Full name').inputValue(), 'Dee Fisher')
  assert.equal(await dee.page.getByLabel('Email address').inputValue(), 'dee.fisher@example.org')
  assert.equal(await dee.page.getByLabel('Agency').inputValue(), 'Adult mental health')
  await screenshot(dee.page, 'invitation')
  await noProblems(dee.page, 'invitation page')
  // Passwords must be long enough and typed the same twice.
  await dee.page.getByLabel('Password', { exact: true }).fill('short')
  await dee.page.getByRole('button', { name: 'Create account and join' }).click()
  await dee.page.getByTestId('error-summary').getByText('at least 10 characters').waitFor()
  await dee.page.getByLabel('Password', { exact: true }).fill('a memorable passphrase')
  await dee.page.getByLabel('Confirm password').fill('a memorable passphrase')
  await dee.page.getByRole('button', { name: 'Create account and join' }).click()
  await dee.page.getByRole('heading', { name: 'Child R', exact: true, level: 1 }).waitFor()
  assert.equal(new URL(dee.page.url()).pathname, `/r/${review.id}`)
  assert.equal(new URL(dee.page.url()).hash, '', 'the secret is not left in the address')
  await dee.page
    .getByTestId('role-notice')
    .getByText('You are a Case group member: you can edit the board with the rest of the review.')
    .waitFor()
  await dee.page.getByTestId('open-board').click()
  await dee.page.getByTestId('connection').getByText('Connected').waitFor()
  await dee.page.getByTestId('role-badge').getByText('Case group member').waitFor()
  await dee.page.getByTestId('presence').getByText('Dee Fisher (you)').waitFor()
  await dee.page.getByRole('button', { name: 'Add the first episode' }).click()
  await dee.page.getByTestId('episode-title').fill('GP appointment missed')

  // The lead sees Dee in the review and the invitation used; the link works only once.
  await lead.page.reload()
  await lead.page.getByTestId('members').getByRole('rowheader', { name: /^Dee Fisher/ }).waitFor()
  await lead.page.getByTestId('invitations').getByRole('row', { name: /Dee Fisher/ }).getByText(/^Accepted on/).waitFor()
  const again = await signIn(browser, server, null)
  await again.page.goto(link)
  await again.page.getByRole('heading', { name: 'This invitation cannot be used' }).waitFor()

  // An invitation withdrawn before it is used says so, apart from one that expired.
  const form2 = lead.page.getByTestId('invite-form')
  await form2.getByLabel('Name', { exact: true }).fill('Eve Long')
  await form2.getByLabel('Email address', { exact: true }).fill('eve.long@example.org')
  await form2.getByLabel('Observer').check()
  await form2.getByRole('button', { name: 'Create invitation' }).click()
  const eve = lead.page.getByTestId('invitations').getByRole('row', { name: /Eve Long/ })
  await eve.getByText(/^Open until/).waitFor()
  await eve.getByRole('button', { name: /^Withdraw/ }).click()
  await eve.getByText(/^Withdrawn on /).waitFor()
  assert.equal(await eve.getByRole('button', { name: /^Withdraw/ }).count(), 0)

  // Someone who already has an account joins with it, signed in.
  const other = await server.createReview({ title: 'Child R, sibling', people: [] })
  const { json: invited } = await server.api('admin', 'POST', `/api/reviews/${other.id}/invitations`, { role: 'observer', name: 'Sam Jones' })
  const sam = await signIn(browser, server, 'sam', { bypassCSP: true })
  await sam.page.goto(`${server.base}${invited.path}`)
  await sam.page.getByRole('heading', { name: 'Join with your account' }).waitFor()
  await sam.page.getByText('You are signed in as Sam Jones').waitFor()
  await noProblems(sam.page, 'invitation, signed in')
  await sam.page.getByRole('button', { name: 'Join the review' }).click()
  await sam.page.getByTestId('role-notice').getByText('You are an Observer: you can read this review but not change it.').waitFor()
  await sam.page.getByRole('link', { name: 'Your reviews' }).first().click()
  await sam.page.getByTestId('review-row').filter({ hasText: 'Child R, sibling' }).getByText('Observer').waitFor()
  await sam.page.getByTestId('review-row').filter({ hasText: 'LCSPR 2025-07' }).getByText('Review team member').waitFor()
  assert.deepEqual([...lead.errors, ...dee.errors, ...again.errors, ...sam.errors], [])
  await Promise.all([lead.context.close(), dee.context.close(), again.context.close(), sam.context.close()])
})

test('an observer reads the board live but cannot change it', async () => {
  const review = await server.createReview({ people: ['sam', 'olu'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const olu = await openBoard(browser, server, review, 'olu', { bypassCSP: true })
  await olu.page.getByTestId('role-badge').getByText('Observer').waitFor()
  await olu.page.getByTestId('read-only-notice').getByText('You are an Observer').waitFor()
  assert.equal(await olu.page.getByRole('button', { name: /Add (the first )?episode/ }).count(), 0)
  assert.equal(await olu.page.getByRole('button', { name: /^Undo/ }).count(), 0)

  // A colleague's edits arrive live.
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Home visit')
  await sam.page.getByTestId('episode-what-happened').fill('Nobody answered the door.')
  const row = olu.page.getByTestId('episode-row').first()
  await row.getByText('Home visit').waitFor()
  await row.getByText('Nobody answered the door.').waitFor()

  // The panel reads but does not write.
  await row.click()
  const title = olu.page.getByTestId('episode-title')
  assert.notEqual(await title.getAttribute('readonly'), null)
  await title.click()
  await olu.page.keyboard.type('typed by the observer')
  assert.equal(await title.inputValue(), 'Home visit')
  assert.ok(await olu.page.getByLabel('Status', { exact: true }).isDisabled())
  assert.ok(await olu.page.getByRole('radio', { name: 'Problematic' }).isDisabled())
  for (const name of ['Delete episode', 'Move up', 'Add factor']) {
    assert.equal(await olu.page.getByRole('button', { name }).count(), 0, name)
  }
  await olu.page.locator('aside.panel').evaluate((panel) => panel.scrollTo(0, 0))
  await screenshot(olu.page, 'board-read-only')
  await noProblems(olu.page, 'read-only board')

  // On the map nothing can be added, moved or linked.
  await olu.page.getByRole('link', { name: 'Factor map' }).click()
  const map = olu.page.getByTestId('factor-map')
  await map.getByText('Home visit').waitFor()
  assert.equal(await olu.page.getByRole('button', { name: 'Add factor' }).count(), 0)
  assert.equal(await olu.page.getByRole('button', { name: 'Tidy layout' }).count(), 0)
  assert.equal(await map.locator('.react-flow__node.draggable').count(), 0)
  const box = await map.getByText('Home visit').boundingBox()
  await olu.page.mouse.move(box.x + 20, box.y + 10)
  await olu.page.mouse.down()
  await olu.page.mouse.move(box.x + 160, box.y + 40, { steps: 8 })
  await olu.page.mouse.up()
  await screenshot(olu.page, 'map-read-only')
  await olu.page.getByRole('link', { name: 'Findings' }).click()
  await olu.page.getByRole('heading', { name: 'No findings yet' }).waitFor()
  assert.equal(await olu.page.getByRole('button', { name: /Add (the first )?finding/ }).count(), 0)

  // Even a change made behind the screen's back never reaches the server.
  await olu.page.evaluate(() => {
    const { doc, schema } = window.__board
    schema.addEpisode(doc, { title: 'Written by the observer' })
    doc.getMap('layout').set('x', { x: 1, y: 2 })
  })
  // A later edit by Sam still reaches Olu: the refusal did not break the connection.
  await sam.page.getByTestId('episode-title').fill('Home visit, second attempt')
  await olu.page.getByRole('link', { name: 'Practice-analysis table' }).click()
  await olu.page.getByText('Home visit, second attempt').waitFor()
  const samJson = await sam.page.evaluate(() => JSON.stringify(window.__board.doc.toJSON()))
  assert.ok(!samJson.includes('Written by the observer'))
  assert.deepEqual(JSON.parse(samJson).layout, {}, 'nothing the observer did moved anything')
  await sam.page.reload()
  await sam.page.getByTestId('connection').getByText('Connected').waitFor()
  await sam.page.getByText('Home visit, second attempt').waitFor()
  assert.ok(!(await sam.page.evaluate(() => JSON.stringify(window.__board.doc.toJSON()))).includes('Written by the observer'))
  // Nor is it kept on the observer's device.
  await olu.page.reload()
  await olu.page.getByTestId('connection').getByText('Connected').waitFor()
  await olu.page.getByText('Home visit, second attempt').waitFor()
  await converged(sam.page, olu.page)
  assert.deepEqual([...sam.errors, ...olu.errors], [])
  await Promise.all([sam.context.close(), olu.context.close()])
})

test('the history of an episode, a factor and a finding names who changed what', async () => {
  const review = await server.createReview({ people: ['sam', 'ana'] })
  const sam = await openBoard(browser, server, review, 'sam')
  const ana = await openBoard(browser, server, review, 'ana', { bypassCSP: true })
  await sam.page.getByRole('button', { name: 'Add the first episode' }).click()
  await sam.page.getByTestId('episode-title').fill('Strategy discussion')
  // Typed key by key: many updates, one line of history.
  await sam.page.getByTestId('episode-appraisal').click()
  await sam.page.keyboard.type('Held the same day; police not invited.', { delay: 20 })

  const line = (who, what) => new RegExp(`^${who}, \\d\\d:\\d\\d(–\\d\\d:\\d\\d)?: ${what}$`)
  await ana.page.getByTestId('episode-row').first().click()
  const history = ana.page.getByTestId('history')
  await history.getByText(line('Sam Jones, Health visiting', 'changed the appraisal')).waitFor()
  await history.getByText(line('Sam Jones, Health visiting', 'changed the title')).waitFor()
  await history.getByText(line('Sam Jones, Health visiting', 'added the episode')).waitFor()
  assert.equal(await history.getByText(/changed the appraisal/).count(), 1, 'a run of typing is one line')
  // The line shows the words the run added (word-level, as comparisons do).
  const words = history.getByRole('listitem').filter({ hasText: 'changed the appraisal' }).getByTestId('history-words')
  await words.locator('ins').getByText('Held the same day; police not invited.').waitFor()

  // Ana's own edit shows in her history and in Sam's open panel, soon after.
  await ana.page.getByTestId('episode-what-happened').fill('The school raised concerns about bruising.')
  await history.getByText(line('Ana Patel, Police', 'changed what happened')).waitFor()
  // Sam then rewords the appraisal: his new run shows what went and what came.
  await sam.page.getByTestId('episode-appraisal').fill('Held the same day; police were not invited.')
  const reworded = history.getByRole('listitem').filter({ hasText: 'changed the appraisal' }).first().getByTestId('history-words')
  await reworded.locator('ins').getByText('were').waitFor()
  await sam.page.getByTestId('history').getByText(line('Ana Patel, Police', 'changed what happened')).waitFor()
  await ana.page.getByRole('radio', { name: 'Problematic' }).check()
  await history.getByText(line('Ana Patel, Police', 'changed the practice quality')).waitFor()
  await history.scrollIntoViewIfNeeded()
  await ana.page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '../target/e2e-artifacts'}/history.png` })
  await noProblems(ana.page, 'episode with its history')

  // A factor, added by Sam from the table and changed by Ana on the map.
  await sam.page.getByLabel('New factor').fill('Police not routinely invited to strategy discussions')
  await sam.page.getByRole('button', { name: 'Add factor' }).click()
  await ana.page.getByRole('link', { name: 'Factor map' }).click()
  await ana.page.getByTestId('factor-map').getByText('Police not routinely invited').click()
  await ana.page.getByLabel('Level').selectOption({ label: 'Local strategic' })
  const factorHistory = ana.page.getByTestId('history')
  await factorHistory.getByText(line('Sam Jones, Health visiting', 'added the factor')).waitFor()
  await factorHistory.getByText(line('Sam Jones, Health visiting', 'linked it to another item')).waitFor()
  await factorHistory.getByText(line('Ana Patel, Police', 'changed the level')).waitFor()

  // A finding.
  await sam.page.getByRole('link', { name: 'Findings' }).click()
  await sam.page.getByRole('button', { name: 'Add the first finding' }).click()
  await sam.page.getByTestId('finding-statement').fill('Strategy discussions happen without the police.')
  await sam.page.getByLabel('Typology category').selectOption({ label: 'Tools' })
  await ana.page.getByRole('link', { name: 'Findings' }).click()
  await ana.page.getByTestId('finding-card').first().getByRole('button').click()
  const findingHistory = ana.page.getByTestId('history')
  await findingHistory.getByText(line('Sam Jones, Health visiting', 'changed the finding')).waitFor()
  await findingHistory.getByText(line('Sam Jones, Health visiting', 'changed the typology category')).waitFor()
  await noProblems(ana.page, 'finding with its history')
  assert.deepEqual([...sam.errors, ...ana.errors], [])
  await Promise.all([sam.context.close(), ana.context.close()])
})

test('a lead runs the review from its page: details, timeline, roles, notes, tokens and the audit trail', async () => {
  const review = await server.createReview({ title: 'Child S', caseRef: 'LCSPR 2025-09', people: ['sam', 'ana'] })
  const lead = await signIn(browser, server, 'admin', { bypassCSP: true })
  await lead.page.goto(`${server.base}/r/${review.id}`)
  await lead.page.getByRole('heading', { name: 'Child S', exact: true, level: 1 }).waitFor()

  // Details.
  await lead.page.getByLabel('Phase').selectOption({ label: 'Analysis' })
  await lead.page.getByLabel('Review questions').fill('How did agencies share what they knew?\nWhat helped or hindered the strategy discussion?')
  await lead.page.getByLabel('From').fill('2024-01-01')
  await lead.page.getByLabel('To', { exact: true }).fill('2024-12-31')
  await lead.page.getByRole('button', { name: 'Save details' }).click()
  await lead.page.getByText('The details have been saved.').waitFor()
  await lead.page.getByText('Phase: Analysis').waitFor()

  // The timeline: a meeting given a date, a mode and attendees, then closed; one added, one removed.
  const meeting = lead.page.getByTestId('meeting').filter({ hasText: 'Analysis meeting 1' })
  await meeting.getByRole('button', { name: 'Change Analysis meeting 1' }).click()
  const form = lead.page.getByTestId('meeting-form')
  await form.getByLabel('Date and time').fill('2025-03-14T10:00')
  await form.getByLabel('How it is held').selectOption({ label: 'Hybrid (in the room and remote)' })
  await form.getByLabel('Sam Jones, Health visiting').check()
  await form.getByLabel('Ana Patel, Police').check()
  await form.getByRole('button', { name: 'Save meeting' }).click()
  await meeting.getByText('14 March 2025, 10:00').waitFor()
  await meeting.getByText('Hybrid (in the room and remote)').waitFor()
  await meeting.getByText('Sam Jones, Ana Patel').waitFor()
  await meeting.getByRole('button', { name: 'Mark as closed Analysis meeting 1' }).click()
  await meeting.getByText('Closed', { exact: true }).waitFor()
  await lead.page.getByRole('button', { name: 'Add a meeting' }).click()
  await lead.page.getByTestId('meeting-form').getByLabel('Title').fill('Practitioner event')
  await lead.page.getByTestId('meeting-form').getByRole('button', { name: 'Add meeting' }).click()
  await lead.page.getByTestId('meeting').last().getByRole('heading', { name: 'Practitioner event' }).waitFor()
  const removed = lead.page.getByTestId('meeting').filter({ hasText: 'Documentation review' })
  await removed.getByRole('button', { name: 'Remove Documentation review' }).click()
  await removed.getByRole('button', { name: 'Yes, remove it' }).click()
  await lead.page.getByText('Removed “Documentation review”.').waitFor()
  // The list is read again after the message: wait for the meeting to leave it.
  await lead.page.getByTestId('meeting').filter({ hasText: 'Documentation review' }).waitFor({ state: 'detached' })

  // A role changed.
  await lead.page.getByLabel('Role of Ana Patel').selectOption({ label: 'Board member' })
  await lead.page.getByText('Ana Patel is now a Board member.').waitFor()

  // Restricted notes for Sam (and the leads) only.
  await lead.page.getByRole('button', { name: 'Create restricted notes' }).click()
  await lead.page.getByLabel('Title', { exact: true }).last().fill('Conversation with the health visitor')
  await lead.page.locator('#documents').getByLabel('Sam Jones, Health visiting (Review team member)').check()
  await lead.page.getByRole('button', { name: 'Create notes' }).click()
  await lead.page.getByText('Sam Jones and the lead reviewers can open it').waitFor()
  await lead.page.getByTestId('documents').getByText('Conversation with the health visitor').waitFor()

  // An access token, shown once, that works until it is revoked.
  await lead.page.getByLabel('What it is for').fill('Minutes export')
  await lead.page.getByLabel('Role', { exact: true }).selectOption({ label: 'Observer' })
  await lead.page.getByRole('button', { name: 'Create token' }).click()
  const secret = await lead.page.getByTestId('token-secret').locator('input').inputValue()
  assert.match(secret, /^bt_/)
  const asToken = () => fetch(`${server.base}/api/reviews/${review.id}`, { headers: { Authorization: `Bearer ${secret}` } })
  assert.equal((await (await asToken()).json()).role, 'observer')
  await lead.page.getByTestId('tokens').getByText(/^Works until/).waitFor()
  await lead.page.getByRole('button', { name: 'Revoke Minutes export' }).click()
  await lead.page.getByRole('button', { name: 'Yes, revoke it' }).click()
  await lead.page.getByTestId('tokens').getByText(/^Revoked on/).waitFor()
  assert.equal((await asToken()).status, 401)

  // The audit trail says all of it, without being asked to refresh.
  const audit = lead.page.getByTestId('audit')
  await audit.getByText('changed the review’s details').first().waitFor()
  await audit.getByText('changed someone’s role: Case group member to Board member (Ana Patel)').waitFor()
  await audit.getByText('created an access token: Minutes export as Observer').waitFor()
  await audit.getByText('revoked an access token').waitFor()
  await audit.getByText('removed a meeting').waitFor()
  await audit.getByText('created restricted notes: Conversation with the health visitor').waitFor()
  await screenshot(lead.page, 'review-page')
  await noProblems(lead.page, 'review page after changes')

  // Sam reads the same review without the lead's forms, and sees the notes he is in.
  const sam = await signIn(browser, server, 'sam', { bypassCSP: true })
  await sam.page.goto(`${server.base}/r/${review.id}`)
  await sam.page.getByTestId('role-notice').getByText('You are a Review team member').waitFor()
  await sam.page.getByTestId('review-details').getByText('What helped or hindered the strategy discussion?').waitFor()
  await sam.page.getByTestId('review-details').getByText('1 January 2024 to 31 December 2024').waitFor()
  await sam.page.getByTestId('documents').getByText('Conversation with the health visitor').waitFor()
  for (const name of ['Save details', 'Create invitation', 'Create token', 'Add a meeting']) {
    assert.equal(await sam.page.getByRole('button', { name }).count(), 0, name)
  }
  assert.equal(await sam.page.getByTestId('audit').count(), 0)
  await noProblems(sam.page, 'review page, team member')
  // Ana, now a board member, is not among the notes' readers.
  const ana = await signIn(browser, server, 'ana')
  await ana.page.goto(`${server.base}/r/${review.id}`)
  await ana.page.getByTestId('role-notice').getByText('You are a Board member: you can read this review but not change it.').waitFor()
  await ana.page.getByTestId('documents').getByText('Analysis board').waitFor()
  assert.equal(await ana.page.getByTestId('documents').getByText('Conversation with the health visitor').count(), 0)
  assert.deepEqual([...lead.errors, ...sam.errors, ...ana.errors], [])
  await Promise.all([lead.context.close(), sam.context.close(), ana.context.close()])
})

test('an open board follows changes to its person’s access', async () => {
  const review = await server.createReview({ people: ['sam', 'jo'] })
  const jo = await openBoard(browser, server, review, 'jo')
  await jo.page.getByRole('button', { name: 'Add the first episode' }).click()
  await jo.page.getByTestId('episode-title').fill('Referral to early help')

  // Made an observer: the board turns read-only, and says why.
  await server.api('admin', 'PUT', `/api/reviews/${review.id}/members/${server.userId('jo')}`, { role: 'observer' })
  await jo.page.getByText('Your role in this review has changed: you are now an Observer.').waitFor()
  await jo.page.getByTestId('role-badge').getByText('Observer').waitFor()
  await jo.page.getByTestId('connection').getByText('Connected').waitFor()
  assert.equal(await jo.page.getByRole('button', { name: 'Add episode' }).count(), 0)
  await jo.page.getByTestId('episode-row').first().getByText('Referral to early help').waitFor()

  const copies = () => jo.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n.endsWith('/board')))
  assert.equal((await copies()).length, 1, 'the board is kept on Jo’s device while she is in the review')

  // Removed from the review: the board closes.
  await server.api('admin', 'DELETE', `/api/reviews/${review.id}/members/${server.userId('jo')}`)
  await jo.page.getByRole('heading', { name: 'You no longer have access to this board' }).waitFor()
  // Nor is it kept on Jo's device any longer.
  let kept = []
  await waitFor(
    async () => (kept = await copies()).length === 0,
    () => `the board is deleted from the device: ${kept}`,
  )

  // Someone outside a review cannot open its board, and is told so.
  const outsider = await signIn(browser, server, 'jo', { bypassCSP: true })
  await outsider.page.goto(`${server.base}/r/${review.id}/board`)
  await outsider.page.getByRole('heading', { name: 'This board is not available to you' }).waitFor()
  await noProblems(outsider.page, 'no access')
  assert.deepEqual([...jo.errors, ...outsider.errors], [])
  await Promise.all([jo.context.close(), outsider.context.close()])
})

test('the first administrator is made with the setup link, and starts a review', async () => {
  const fresh = await startServer({ admin: false })
  try {
    const admin = await signIn(browser, fresh, null, { bypassCSP: true })
    await admin.page.goto(`${fresh.base}/`)
    await admin.page.getByTestId('setup-needed').getByText('board user create --admin').waitFor()
    const code = fresh.setupCode()
    assert.ok(code, 'the server logs a setup link')
    await admin.page.goto(`${fresh.base}/setup#${code}`)
    await admin.page.getByRole('heading', { name: 'Create the first administrator' }).waitFor()
    await admin.page.getByLabel('Full name').fill('Alex Admin')
    await admin.page.getByLabel('Email address').fill('alex@example.org')
    await admin.page.getByLabel('Agency').fill('Safeguarding partnership')
    await admin.page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await admin.page.getByLabel('Confirm password').fill(PASSWORD)
    await screenshot(admin.page, 'setup')
    await noProblems(admin.page, 'setup page')
    await admin.page.getByRole('button', { name: 'Create the administrator' }).click()
    await admin.page.getByRole('heading', { name: 'Your reviews' }).waitFor()
    assert.equal(new URL(admin.page.url()).hash, '')
    await admin.page.getByTestId('no-reviews').getByText('You are not in any review yet').waitFor()
    await screenshot(admin.page, 'home-empty')
    await noProblems(admin.page, 'empty home page')
    await admin.page.getByLabel('Title').fill('Child T')
    await admin.page.getByLabel('Case reference').fill('LCSPR 2025-11')
    await admin.page.getByLabel('Kind of review').selectOption({ label: 'Rapid review' })
    await admin.page.getByLabel('Learning Together variant').selectOption({ label: 'Focused' })
    await admin.page.getByRole('button', { name: 'Create review' }).click()
    await admin.page.getByRole('heading', { name: 'Child T', exact: true, level: 1 }).waitFor()
    await admin.page.getByTestId('role-notice').getByText('You are a Lead reviewer').waitFor()
    // The focused variant's timeline.
    await admin.page.getByTestId('meeting').filter({ hasText: 'Practitioner event' }).waitFor()
    assert.equal(await admin.page.getByTestId('meeting').count(), 5)
    assert.deepEqual(admin.errors, [])
    await admin.context.close()
  } finally {
    await fresh.stop()
  }
})
