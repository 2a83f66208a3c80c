// Search the board: every episode, factor and finding text, the match shown in its
// context; choosing a result opens the item at that field on its screen. The restricted
// notes the person may open are searched too, by the server (the page does not hold
// them); a result there opens the notes.

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import type * as Y from 'yjs'

import { api } from '../api/client'
import { keys, useApi } from '../api/queries'
import { useBoardAccess } from './boardAccess'
import { linkTo, notesHref } from './route'

import { searchBoard, type SearchHit } from '../board/search'
import { board } from '../board/schema'
import { FIELD_WORDS } from '../review/history'
import { useY } from './useY'

const NOUNS = { episode: 'Episode', factor: 'Factor', finding: 'Finding' }
/** A field as the side panels name it, without "the": "what happened", "appraisal". */
const fieldName = (hit: SearchHit) => (FIELD_WORDS[hit.kind][hit.field] ?? hit.field).replace(/^the /, '')

export function BoardSearch({ doc, onOpen }: { doc: Y.Doc; onOpen: (hit: SearchHit) => void }) {
  const id = useId()
  const { reviewId } = useBoardAccess()
  const roots = board(doc)
  const version = useY(roots.episodes, roots.factors, roots.findings)
  const [query, setQuery] = useState('')
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` changes whenever the board does
  const hits = useMemo(() => searchBoard(doc, query), [doc, query, version])
  const searching = query.trim().length >= 2
  const box = useRef<HTMLDivElement>(null)
  const place = useDropdownPlace(box, searching)
  // Restricted notes only when the person asks: a board on a projector must not show
  // words from notes only some of the room may read.
  const [inNotes, setInNotes] = useState(false)
  const notes = useNotesSearch(query.trim(), inNotes)
  return (
    <div className="board-search" role="search" ref={box} onKeyDown={(e) => e.key === 'Escape' && setQuery('')}>
      <label className="visually-hidden" htmlFor={id}>
        Search the board
      </label>
      <input
        id={id}
        type="search"
        className="field-input"
        placeholder="Search the board"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-describedby={`${id}-count`}
        data-testid="board-search"
      />
      <p id={`${id}-count`} className="visually-hidden" role="status">
        {searching ? `${hits.length === 100 ? 'The first 100' : hits.length} ${hits.length === 1 ? 'match' : 'matches'}` : ''}
      </p>
      {searching && (
        <div className="search-results" style={place} data-testid="search-results">
          {hits.length === 0 ? (
            <p className="muted">Nothing on the board matches “{query.trim()}”.</p>
          ) : (
            <ul>
              {hits.map((hit, i) => (
                <li key={`${hit.kind}:${hit.id}:${hit.field}:${i}`}>
                  <button
                    type="button"
                    className="search-hit"
                    onClick={() => {
                      onOpen(hit)
                      setQuery('')
                    }}
                  >
                    <span className="search-hit-item">
                      {NOUNS[hit.kind]}
                      {hit.ref ? ` ${hit.ref}` : ''}: {hit.title || 'untitled'}
                      <span className="muted"> · {fieldName(hit)}</span>
                    </span>
                    <span className="search-hit-context">
                      {hit.before}
                      <mark>{hit.match}</mark>
                      {hit.after}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {reviewId && (
            <label className="search-in-notes">
              <input type="checkbox" checked={inNotes} onChange={(e) => setInNotes(e.target.checked)} data-testid="search-in-notes" /> Also
              search the restricted notes I can open
            </label>
          )}
          {inNotes && notes.length > 0 && (
            <>
              <h2 className="search-results-heading">In restricted notes you can open</h2>
              <ul data-testid="notes-search-results">
                {notes.map((hit, i) => (
                  <li key={`${hit.name}:${i}`}>
                    <a className="search-hit" {...linkTo(notesHref(reviewId, hit.name))}>
                      <span className="search-hit-item">{hit.title}</span>
                      <span className="search-hit-context">
                        {hit.before}
                        <mark>{hit.match}</mark>
                        {hit.after}
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  )
}

/** Matches in the restricted notes this person may open, asked once typing pauses. */
function useNotesSearch(query: string, wanted: boolean) {
  const { reviewId, snapshot } = useBoardAccess()
  const [settled, setSettled] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setSettled(query), 300)
    return () => clearTimeout(timer)
  }, [query])
  const asking = wanted && !!reviewId && !snapshot && [...settled].length >= 2 && settled === query
  const found = useApi(keys.notesSearch(reviewId, settled), () => api.searchNotes(reviewId, settled), { enabled: asking, staleTime: 10_000 }).data
  // Never the last search's matches for what is typed now.
  return asking ? (found ?? []) : []
}

/** The widest the results may be. */
const RESULTS_PX = 576

/**
 * Where the results open: from the search box's left edge when there is room to its
 * right, else from its right edge, never past either side of the window (the bar wraps
 * on narrow screens, moving the box).
 */
function useDropdownPlace(box: React.RefObject<HTMLDivElement | null>, open: boolean): CSSProperties {
  const [place, setPlace] = useState<CSSProperties>({})
  useLayoutEffect(() => {
    const at = box.current?.getBoundingClientRect()
    if (!open || !at) return
    const room = document.documentElement.clientWidth - 8
    if (at.left + RESULTS_PX <= room) setPlace({ left: 0, right: 'auto', width: RESULTS_PX })
    else if (at.right - RESULTS_PX >= 8) setPlace({ right: 0, left: 'auto', width: RESULTS_PX })
    else setPlace({ left: 8 - at.left, right: 'auto', width: room - 8 })
  }, [box, open])
  return place
}
