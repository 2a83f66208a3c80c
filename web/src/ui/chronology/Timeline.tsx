// The merged chronology as a timeline: one lane per agency, each entry a mark at its
// date, zoomed with the buttons (or Ctrl and the wheel) and moved along with the arrows.
// The list beside it is the same entries as text; a mark chosen here is the row chosen
// there.

import { useMemo, useState } from 'react'

import { entryMs, entryWhen, type ChronologyEntryLike } from '../../board/chronology'

const DAY = 86_400_000
const LANE = 34
const LABEL = 170
const WIDTH = 900
const AXIS = 26

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Where the axis is marked: years, months or days, as the span allows. */
function ticks(start: number, end: number): { at: number; label: string }[] {
  const span = end - start
  const out: { at: number; label: string }[] = []
  const d = new Date(start)
  if (span > 3 * 365 * DAY) {
    for (let y = d.getUTCFullYear(); Date.UTC(y, 0, 1) <= end; y++) out.push({ at: Date.UTC(y, 0, 1), label: String(y) })
  } else if (span > 60 * DAY) {
    for (let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); m <= end; ) {
      const md = new Date(m)
      out.push({ at: m, label: `${MONTHS[md.getUTCMonth()]}${md.getUTCMonth() === 0 ? ` ${md.getUTCFullYear()}` : ''}` })
      m = Date.UTC(md.getUTCFullYear(), md.getUTCMonth() + 1, 1)
    }
  } else {
    const step = span > 20 * DAY ? 7 : 1
    for (let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); t <= end; t += step * DAY) {
      const td = new Date(t)
      out.push({ at: t, label: `${td.getUTCDate()} ${MONTHS[td.getUTCMonth()]}` })
    }
  }
  return out.filter((t) => t.at >= start)
}

export function Timeline<E extends ChronologyEntryLike>({
  entries,
  selected,
  onToggle,
}: {
  entries: E[]
  selected: Set<string>
  onToggle: (entry: E) => void
}) {
  const lanes = useMemo(() => [...new Set(entries.map((e) => e.agency))].sort((a, b) => a.localeCompare(b)), [entries])
  const [first, last] = useMemo(() => {
    if (entries.length === 0) return [0, DAY]
    const times = entries.map(entryMs)
    const lo = Math.min(...times)
    const hi = Math.max(...times)
    const pad = Math.max((hi - lo) * 0.03, DAY)
    return [lo - pad, hi + pad]
  }, [entries])
  // The window shown, as a fraction of the whole: zoomed in, and where along it.
  const [zoom, setZoom] = useState(1)
  const [centre, setCentre] = useState(0.5)
  const span = (last - first) / zoom
  const start = Math.min(Math.max(first + centre * (last - first) - span / 2, first), last - span)
  const end = start + span
  const x = (t: number) => LABEL + ((t - start) / span) * (WIDTH - LABEL - 10)
  const height = AXIS + lanes.length * LANE + 6

  const zoomBy = (factor: number) => setZoom((z) => Math.min(Math.max(z * factor, 1), 2000))
  const move = (by: number) => setCentre((c) => Math.min(Math.max(c + (by * span) / (last - first), 0), 1))
  const shown = entries.filter((e) => {
    const t = entryMs(e)
    return t >= start && t <= end
  })

  if (entries.length === 0) return null
  return (
    <figure className="chronology-timeline" data-testid="chronology-timeline">
      <div className="timeline-controls" role="group" aria-label="Timeline view">
        <button type="button" className="button secondary small" onClick={() => zoomBy(2)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className="button secondary small" onClick={() => zoomBy(0.5)} aria-label="Zoom out" disabled={zoom <= 1}>
          −
        </button>
        <button type="button" className="button secondary small" onClick={() => move(-0.5)} aria-label="Earlier" disabled={start <= first}>
          ←
        </button>
        <button type="button" className="button secondary small" onClick={() => move(0.5)} aria-label="Later" disabled={end >= last}>
          →
        </button>
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            setZoom(1)
            setCentre(0.5)
          }}
          disabled={zoom === 1}
        >
          Show all
        </button>
        <span className="muted" aria-live="polite">
          {shown.length === entries.length ? `All ${entries.length} entries` : `${shown.length} of ${entries.length} entries in view`}
        </span>
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label={`Timeline of ${entries.length} entries from ${lanes.length} ${lanes.length === 1 ? 'agency' : 'agencies'}; the list gives them as text`}
        onWheel={(e) => {
          if (!e.ctrlKey) return
          e.preventDefault()
          zoomBy(e.deltaY < 0 ? 1.25 : 0.8)
        }}
      >
        {ticks(start, end).map((t) => (
          <g key={t.at}>
            <line x1={x(t.at)} x2={x(t.at)} y1={AXIS - 6} y2={height} className="timeline-tick" />
            <text x={x(t.at) + 3} y={AXIS - 10} className="timeline-tick-label">
              {t.label}
            </text>
          </g>
        ))}
        {lanes.map((agency, i) => (
          <g key={agency}>
            <rect x={0} y={AXIS + i * LANE} width={WIDTH} height={LANE} className={i % 2 ? 'lane odd' : 'lane'} />
            <text x={6} y={AXIS + i * LANE + LANE / 2 + 5} className="lane-label">
              {agency.length > 22 ? `${agency.slice(0, 21)}…` : agency}
            </text>
          </g>
        ))}
        {shown.map((e) => {
          const lane = lanes.indexOf(e.agency)
          const isSelected = selected.has(e.id)
          return (
            <circle
              key={e.id}
              cx={x(entryMs(e))}
              cy={AXIS + lane * LANE + LANE / 2}
              r={isSelected ? 7 : 5}
              className={isSelected ? 'mark selected' : 'mark'}
              onClick={() => onToggle(e)}
              data-testid="timeline-mark"
            >
              <title>{`${entryWhen(e)} · ${e.agency}: ${e.event.slice(0, 140)}`}</title>
            </circle>
          )
        })}
      </svg>
    </figure>
  )
}
