// The library's figures drawn with Observable Plot: the matrix as a heatmap and the
// trend as bars. Each figure is a picture for the eye beside its table (which screen
// readers and keyboards use); a cell or bar, clicked, opens the findings behind it, as
// the table's buttons do. Counts the small-number rule hides are drawn grey, never
// as a number.

import * as Plot from '@observablehq/plot'
import { useEffect, useRef } from 'react'

import type { Schemas } from '../../api/client'
import codebook from '../../board/codebook.json'

type Count = Schemas['ReviewCount']

/** A typology category's short name, where the codebook has one (axes are narrow). */
export function shortLabel(facet: string, code: string, label: string): string {
  if (facet !== 'category') return label
  const entry = (codebook.typology as Record<string, { shortLabel?: string }>)[code]
  return entry?.shortLabel ?? label
}

/**
 * A Plot render transform that makes each drawn element open what it stands for:
 * `open(i)` with the index of its datum (the mark draws one element per datum, in
 * index order).
 */
function opening(
  open: (i: number) => void,
  describe: (i: number) => string,
  opens: (i: number) => boolean = () => true,
): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const g = next?.(index, scales, values, dimensions, context)
    if (!g) return null
    const drawn = [...g.children] as SVGElement[]
    index.forEach((i, k) => {
      const element = drawn[k]
      if (!element) return
      if (opens(i)) {
        element.style.cursor = 'pointer'
        element.addEventListener('click', () => open(i))
      }
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title')
      title.textContent = describe(i)
      element.appendChild(title)
    })
    return g
  }
}

/** Renders a Plot figure into a div, replacing it whenever `make` changes. */
function Figure({ make, testId }: { make: () => SVGSVGElement | HTMLElement; testId: string }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const figure = make()
    // The table beside it is what assistive technology reads.
    figure.setAttribute('aria-hidden', 'true')
    ref.current?.replaceChildren(figure)
    return () => figure.remove()
  }, [make])
  return <div ref={ref} className="library-figure" data-testid={testId} />
}

export interface HeatCell {
  row: string
  rowCode: string
  column: string
  columnCode: string
  count: Count
}

export function Heatmap({
  cells,
  rows,
  columns,
  onOpen,
}: {
  cells: HeatCell[]
  rows: string[]
  columns: string[]
  onOpen: (cell: HeatCell) => void
}) {
  const opened = useLatest(onOpen)
  const make = () => {
    // Three kinds of cell, each its own mark: counts shaded by the scale, hidden counts
    // grey, and none white (nothing to open).
    const counted = cells.filter((c) => (c.count.reviews ?? 0) > 0)
    const hidden = cells.filter((c) => c.count.reviews == null)
    const none = cells.filter((c) => c.count.reviews === 0)
    const largest = Math.max(1, ...counted.map((c) => c.count.reviews ?? 0))
    const describe = (c: HeatCell) => `${c.row} and ${c.column}: ${c.count.text}`
    const clickable = (list: HeatCell[]) =>
      opening(
        (i) => opened.current(list[i]),
        (i) => describe(list[i]),
      )
    const longest = Math.max(0, ...rows.map((r) => r.length))
    const many = columns.length > 3
    const left = Math.min(320, 12 + longest * 6.5)
    return Plot.plot({
      marginLeft: left,
      marginBottom: many ? 110 : 40,
      width: Math.min(1100, left + columns.length * (many ? 110 : 220)),
      height: 30 + rows.length * 44 + (many ? 110 : 40),
      x: { domain: columns, label: null, tickRotate: many ? -25 : 0, axis: 'bottom' },
      y: { domain: rows, label: null },
      color: { type: 'linear', scheme: 'blues', domain: [0, largest] },
      marks: [
        Plot.cell(counted, { x: 'column', y: 'row', fill: (c: HeatCell) => c.count.reviews, stroke: '#b1b4b6', inset: 0.5, render: clickable(counted) }),
        Plot.cell(hidden, { x: 'column', y: 'row', fill: '#d9d9d9', stroke: '#b1b4b6', inset: 0.5, render: clickable(hidden) }),
        Plot.cell(none, { x: 'column', y: 'row', fill: '#ffffff', stroke: '#b1b4b6', inset: 0.5 }),
        Plot.text(cells, {
          x: 'column',
          y: 'row',
          text: (c: HeatCell) => (c.count.reviews == null ? `<${c.count.fewerThan ?? '?'}` : String(c.count.reviews)),
          fill: (c: HeatCell) => ((c.count.reviews ?? 0) > 0.55 * largest ? 'white' : 'black'),
          pointerEvents: 'none',
          fontSize: 13,
        }),
      ],
    })
  }
  // A new figure only when what it shows changes.
  const memo = useMemoFigure(make, JSON.stringify([cells, rows, columns]))
  return <Figure make={memo} testId="library-heatmap" />
}

export interface TrendBar {
  year: number
  until: number
  share?: number | null
  matched: Count
  reviews: Count
}

/** A period as people write it: "2023", "2021–2022". */
export const periodLabel = (p: { year: number; until: number }) => (p.until > p.year ? `${p.year}–${p.until}` : String(p.year))

export function TrendChart({ years, onOpen }: { years: TrendBar[]; onOpen: (period: TrendBar) => void }) {
  const shown = years.filter((y) => typeof y.share === 'number')
  const opened = useLatest(onOpen)
  const make = () =>
    Plot.plot({
      height: 260,
      width: Math.max(360, 120 + years.length * 70),
      marginLeft: 50,
      x: { domain: years.map(periodLabel), label: 'Period' },
      y: { domain: [0, 100], label: 'Share of the period’s reviews (%)', grid: true },
      marks: [
        Plot.barY(shown, {
          x: periodLabel,
          y: (y: TrendBar) => Math.round((y.share ?? 0) * 100),
          fill: '#1d70b8',
          render: opening(
            (i) => opened.current(shown[i]),
            (i) => `${periodLabel(shown[i])}: ${shown[i].matched.text} of ${shown[i].reviews.text}`,
          ),
        }),
        Plot.text(shown, {
          x: periodLabel,
          y: (y: TrendBar) => Math.round((y.share ?? 0) * 100),
          text: (y: TrendBar) => `${Math.round((y.share ?? 0) * 100)}%`,
          dy: -8,
          pointerEvents: 'none',
        }),
        Plot.text(
          years.filter((y) => typeof y.share !== 'number'),
          { x: periodLabel, y: 4, text: () => 'not shown', fill: '#505a5f', pointerEvents: 'none' },
        ),
        Plot.ruleY([0]),
      ],
    })
  const memo = useMemoFigure(make, JSON.stringify(years))
  return <Figure make={memo} testId="library-trend-chart" />
}

/** A ref that always holds the latest `value` (for handlers a kept figure calls). */
function useLatest<T>(value: T) {
  const ref = useRef(value)
  useEffect(() => {
    ref.current = value
  }, [value])
  return ref
}

/** `make`, kept the same function while `key` stays the same. */
function useMemoFigure<T>(make: () => T, key: string): () => T {
  const kept = useRef<{ key: string; make: () => T } | null>(null)
  if (!kept.current || kept.current.key !== key) kept.current = { key, make }
  return kept.current.make
}
