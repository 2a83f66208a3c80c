// The table and the factor map on the screens people use: a laptop at 1366×768 and
// 1024×768 with the side panel open, and a projector at 1920×1080. The selected row
// stays in view, rows stay a sensible height (long texts and many factors are
// summarised, not wrapped into tall rows), and no column is out of reach. After "Tidy
// layout" the map's labels are legible when fitted to the view, link labels do not pile
// up, every node sits in its own band, and episodes run in date order.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { launchBrowser, openBoard, screenshot, startServer, waitFor } from './harness.mjs'

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

test('the table works on a laptop and a projector', async () => {
  const review = await server.createReview({ title: 'Child M', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam')
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const long = 'A long account of what happened, as the case group told it, with every detail that matters. '.repeat(8)
    for (let i = 1; i <= 14; i++) {
      const e = schema.addEpisode(doc, { title: `Episode number ${i} with a fairly long title`, dateStart: `2025-0${(i % 9) + 1}-01`, agencies: ['Health visiting', 'Children’s social care', 'Police'], whatHappened: long })
      for (let f = 1; f <= 6; f++) {
        const factor = schema.addFactor(doc, { title: `Contributory factor ${i}.${f} about workload and supervision` })
        schema.addLink(doc, factor, e, 'contributed_to')
      }
    }
  })
  const rows = sam.page.getByTestId('episode-row')
  await rows.nth(13).waitFor()

  for (const [width, height] of [[1366, 768], [1024, 768], [1920, 1080]]) {
    await sam.page.setViewportSize({ width, height })
    await rows.nth(12).click()
    await sam.page.locator('.panel').waitFor()
    await screenshot(sam.page, `table-${width}x${height}`)
    // The selected row is in view beside the panel.
    await waitFor(async () => {
      const box = await rows.nth(12).boundingBox()
      return box !== null && box.y >= 0 && box.y + box.height <= height
    }, `the selected row in view at ${width}×${height}`)
    // Rows stay a sensible height.
    const tallest = Math.max(...(await rows.evaluateAll((list) => list.map((r) => r.getBoundingClientRect().height))))
    assert.ok(tallest <= 140, `rows at most 140 px high at ${width}×${height} (the tallest is ${tallest})`)
    // Every column can be reached: the last column's cells are on screen or the table
    // scrolls to them.
    const reachable = await sam.page.evaluate(() => {
      const cell = document.querySelector('[data-testid="episode-row"] td:last-child')
      const wrap = cell?.closest('.table-scroll') ?? document.scrollingElement
      cell?.scrollIntoView({ inline: 'end', block: 'nearest' })
      const box = cell?.getBoundingClientRect()
      return !!box && box.right <= window.innerWidth + 1 && box.left >= 0 && !!wrap
    })
    assert.ok(reachable, `the last column can be reached at ${width}×${height}`)
    await sam.page.keyboard.press('Escape')
  }
  assert.deepEqual(sam.errors, [])
})

/** What the map shows: each node's band and box, the zoom, and the smallest text in px on screen. */
const measureMap = (page) =>
  page.evaluate(() => {
    const plain = window.__board.toPlain()
    const transform = getComputedStyle(document.querySelector('.react-flow__viewport')).transform
    const zoom = new DOMMatrixReadOnly(transform).a
    const band = (id) => {
      const factor = plain.factors.find((f) => f.id === id)
      if (factor) return factor.level === 'national' || factor.level === 'local_strategic' ? factor.level : 'frontline'
      return plain.episodes.some((e) => e.id === id) ? 'episodes' : 'findings'
    }
    const box = (el) => {
      const r = el.getBoundingClientRect()
      return { top: r.top, bottom: r.bottom, left: r.left }
    }
    const nodes = [...document.querySelectorAll('.react-flow__node-entity')].map((el) => ({
      id: el.dataset.id,
      band: band(el.dataset.id),
      box: box(el),
    }))
    const bands = Object.fromEntries([...document.querySelectorAll('.react-flow__node-band')].map((el) => [el.dataset.id.replace('band-', ''), box(el)]))
    const texts = [...document.querySelectorAll('.react-flow__node-entity span')].filter((el) => el.textContent.trim())
    const smallest = Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom))
    const episodeOrder = plain.episodes
      .slice()
      .sort((a, b) => (a.dateStart < b.dateStart ? -1 : 1))
      .map((e) => e.id)
    return { zoom, nodes, bands, smallest, episodeOrder, links: plain.links.length }
  })

test('after Tidy layout the factor map is legible on a laptop and a projector', async () => {
  const review = await server.createReview({ title: 'Child N', people: ['sam'] })
  const sam = await openBoard(browser, server, review, 'sam')
  await sam.page.evaluate(() => {
    const { doc, schema } = window.__board
    const months = ['2025-06', '2024-11', '2025-02-14', '2024-09-03', '2025-01', '2024-12-20']
    const episodes = months.map((m, i) => schema.addEpisode(doc, { title: `Episode ${i + 1}: home visit and follow-up call`, dateStart: m }))
    const levels = ['national', 'local_strategic', 'frontline', 'frontline', 'local_strategic', 'frontline', 'frontline']
    levels.forEach((level, i) => {
      const factor = schema.addFactor(doc, { title: `Factor ${i + 1}: supervision and caseload pressure`, level })
      schema.addLink(doc, factor, episodes[i % episodes.length], 'contributed_to', 'negative')
      // Dropped somewhere else by hand before: far below its own band.
      if (i % 2 === 0) schema.place(doc, factor, 50 * i, 900)
    })
    for (let i = 0; i < 3; i++) {
      const finding = schema.addFinding(doc, { statement: `Finding ${i + 1}: records are not shared between agencies` })
      schema.addLink(doc, episodes[i], finding, 'evidence_for', 'neutral')
    }
  })
  await sam.page.getByRole('link', { name: 'Factor map' }).click()
  const map = sam.page.getByTestId('factor-map')
  await map.locator('.react-flow__node-entity').nth(15).waitFor()
  await sam.page.getByRole('button', { name: 'Tidy layout' }).click()

  for (const [width, height] of [[1366, 768], [1024, 768], [1920, 1080]]) {
    await sam.page.setViewportSize({ width, height })
    await map.locator('.react-flow__controls-fitview').click()
    // Fitting may animate: measure once the zoom has settled.
    let seen = null
    await waitFor(async () => {
      const now = await measureMap(sam.page)
      const settled = seen !== null && Math.abs(now.zoom - seen.zoom) < 1e-6
      seen = now
      return settled
    }, `the map fitted at ${width}×${height}`)
    const m = seen
    await screenshot(sam.page, `map-${width}x${height}`)
    assert.ok(m.smallest >= 12 - 1e-6, `every label at least 12 px at ${width}×${height} (smallest ${m.smallest.toFixed(1)} px at zoom ${m.zoom.toFixed(2)})`)
    // Every node inside its own band.
    for (const n of m.nodes) {
      const band = m.bands[n.band]
      assert.ok(n.box.top >= band.top - 0.5 && n.box.bottom <= band.bottom + 0.5, `${n.id} inside the ${n.band} band at ${width}×${height}`)
    }
    // Episodes left to right in date order.
    const byX = m.nodes.filter((n) => n.band === 'episodes').sort((a, b) => a.box.left - b.box.left).map((n) => n.id)
    assert.deepEqual(byX, m.episodeOrder, 'episodes in date order')
    // No link labels until a link is pointed at or a node selected.
    assert.equal(await map.locator('.react-flow__edge-text').count(), 0, 'link labels do not pile up')
  }

  // Selecting a node shows the labels of its links only.
  await map.locator('.react-flow__node-entity', { hasText: 'Episode 1:' }).click()
  await waitFor(async () => (await map.locator('.react-flow__edge-text').count()) === 3, 'the labels of the episode’s three links')
  assert.deepEqual(sam.errors, [])
})
