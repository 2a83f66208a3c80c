// Search the board: every episode, factor and finding text, the match shown in its
// context; choosing a result opens the item at that field on its screen.

import { useId, useMemo, useState } from 'react'
import type * as Y from 'yjs'

import { searchBoard, type SearchHit } from '../board/search'
import { board } from '../board/schema'
import { FIELD_WORDS } from '../review/history'
import { useY } from './useY'

const NOUNS = { episode: 'Episode', factor: 'Factor', finding: 'Finding' }
/** A field as the side panels name it, without "the": "what happened", "appraisal". */
const fieldName = (hit: SearchHit) => (FIELD_WORDS[hit.kind][hit.field] ?? hit.field).replace(/^the /, '')

export function BoardSearch({ doc, onOpen }: { doc: Y.Doc; onOpen: (hit: SearchHit) => void }) {
  const id = useId()
  const roots = board(doc)
  const version = useY(roots.episodes, roots.factors, roots.findings)
  const [query, setQuery] = useState('')
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` changes whenever the board does
  const hits = useMemo(() => searchBoard(doc, query), [doc, query, version])
  const searching = query.trim().length >= 2
  return (
    <div className="board-search" role="search" onKeyDown={(e) => e.key === 'Escape' && setQuery('')}>
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
        <div className="search-results" data-testid="search-results">
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
        </div>
      )}
    </div>
  )
}
