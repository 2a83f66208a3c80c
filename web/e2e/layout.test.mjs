// The table on the screens people use: a laptop at 1366×768 and 1024×768 with the side
// panel open, and a projector at 1920×1080. The selected row stays in view, rows stay
// a sensible height (long texts and many factors are summarised, not wrapped into
// tall rows), and no column is out of reach.

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
