// The board's three screens as tabs (the practice-analysis table, the factor map, the
// findings), named in the address by `?view=`: on the live board, on a snapshot and in
// a comparison.

import { useEffect, useState } from 'react'

import { viewOf, type BoardView } from './route'

export const VIEWS: { id: BoardView; label: string }[] = [
  { id: 'table', label: 'Practice-analysis table' },
  { id: 'map', label: 'Factor map' },
  { id: 'findings', label: 'Findings' },
]

/** The agencies' merged chronology: a tab of the live board for those who may read it. */
export const CHRONOLOGY_VIEW: { id: BoardView; label: string } = { id: 'chronology', label: 'Chronology' }

export const viewLabel = (view: BoardView) => [...VIEWS, CHRONOLOGY_VIEW].find((v) => v.id === view)?.label ?? 'Board'

/** The screen the address shows, kept in step with the browser's back and forward. */
export function useView(): [BoardView, (next: BoardView) => void] {
  const [view, setView] = useState<BoardView>(() => viewOf(location.search))
  useEffect(() => {
    const onPop = () => setView(viewOf(location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const show = (next: BoardView) => {
    const url = new URL(location.href)
    if (next === 'table') url.searchParams.delete('view')
    else url.searchParams.set('view', next)
    history.pushState(null, '', url)
    setView(next)
  }
  return [view, show]
}

/** The address of `view` on this page (the rest of the query kept). */
function hrefOf(view: BoardView): string {
  const url = new URL(location.href)
  if (view === 'table') url.searchParams.delete('view')
  else url.searchParams.set('view', view)
  return `${url.pathname}${url.search}`
}

export function ScreenTabs({
  view,
  onChange,
  label = 'Board screens',
  counts,
  views = VIEWS,
}: {
  view: BoardView
  onChange: (view: BoardView) => void
  label?: string
  /** Shown after each tab's name, e.g. how many changes it holds. */
  counts?: Partial<Record<BoardView, string>>
  /** The tabs shown (the three screens unless told). */
  views?: { id: BoardView; label: string }[]
}) {
  return (
    <nav className="screens" aria-label={label}>
      <ul>
        {views.map((v) => (
          <li key={v.id}>
            <a
              href={hrefOf(v.id)}
              aria-current={view === v.id ? 'page' : undefined}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
                e.preventDefault()
                onChange(v.id)
              }}
            >
              {v.label}
              {counts?.[v.id] && <span className="tab-count"> {counts[v.id]}</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
