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
function opening(open: (i: number) => void, describe: (i: number) => string): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const g = next?.(index, scales, values, dimensions, context)
    if (!g) return null
    const drawn = [...g.children] as SVGElement[]
    index.forEach((i, k) => {
      const element = drawn[k]
      if (!element) return
      element.style.cursor = 'pointer'
      element.addEventListener('click', () => open(i))
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
    const open = (i: number) => {
      if (cells[i].count.reviews !== 0) opened.current(cells[i])
    }
    const describe = (i: number) => `${cells[i].row} and ${cells[i].column}: ${cells[i].count.text}`
    const longest = Math.max(0, ...rows.map((r) => r.length))
    return Plot.plot({
      marginLeft: Math.min(320, 12 + longest * 6.5),
      marginBottom: 90,
      width: Math.max(480, 240 + columns.length * 110),
      height: 60 + rows.length * 44 + 90,
      x: { domain: columns, label: null, tickRotate: -25 },
      y: { domain: rows, label: null },
      color: { type: 'linear', scheme: 'blues', domain: [0, Math.max(1, ...cells.map((c) => c.count.reviews ?? 0))] },
      marks: [
        Plot.cell(cells, {
          x: 'column',
          y: 'row',
          fill: (c: HeatCell) => (c.count.reviews == null ? '#d9d9d9' : c.count.reviews === 0 ? '#ffffff' : c.count.reviews),
          stroke: '#b1b4b6',
          inset: 0.5,
          render: opening(open, describe),
        }),
        Plot.text(cells, {
          x: 'column',
          y: 'row',
          text: (c: HeatCell) => (c.count.reviews == null ? `<${c.count.fewerThan}` : String(c.count.reviews)),
          fill: (c: HeatCell) => ((c.count.reviews ?? 0) > 0.55 * Math.max(1, ...cells.map((x) => x.count.reviews ?? 0)) ? 'white' : 'black'),
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
  share?: number | null
  matched: Count
  reviews: Count
}

export function TrendChart({ years, onOpen }: { years: TrendBar[]; onOpen: (year: number) => void }) {
  const shown = years.filter((y) => typeof y.share === 'number')
  const opened = useLatest(onOpen)
  const make = () =>
    Plot.plot({
      height: 260,
      width: Math.max(360, 120 + years.length * 70),
      marginLeft: 50,
      x: { domain: years.map((y) => y.year), label: 'Year', tickFormat: (d: number) => String(d) },
      y: { domain: [0, 100], label: 'Share of that year’s reviews (%)', grid: true },
      marks: [
        Plot.barY(shown, {
          x: 'year',
          y: (y: TrendBar) => Math.round((y.share ?? 0) * 100),
          fill: '#1d70b8',
          render: opening(
            (i) => opened.current(shown[i].year),
            (i) => `${shown[i].year}: ${shown[i].matched.text} of ${shown[i].reviews.text}`,
          ),
        }),
        Plot.text(shown, {
          x: 'year',
          y: (y: TrendBar) => Math.round((y.share ?? 0) * 100),
          text: (y: TrendBar) => `${Math.round((y.share ?? 0) * 100)}%`,
          dy: -8,
          pointerEvents: 'none',
        }),
        Plot.text(
          years.filter((y) => typeof y.share !== 'number'),
          { x: 'year', y: 4, text: () => 'not shown', fill: '#505a5f', pointerEvents: 'none' },
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
