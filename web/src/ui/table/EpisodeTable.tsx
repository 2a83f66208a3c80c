// The practice-analysis table: one row per key practice episode, edited live.
//
// Keyboard (a grid with one cell in the tab order): arrow keys move between cells and
// rows, Home/End to the first/last cell of a row, Ctrl+Home/End to the first/last row;
// Enter opens the episode in the side panel at that column's field; Escape closes the
// panel and returns to the cell; Alt+Up and Alt+Down move the row (or drag it by its
// handle). A row is EpisodeRow.tsx; the side panel EpisodePanel.tsx, with the
// episode's factors in EpisodeFactors.tsx.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { DndContext, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core'
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type ColumnDef, type ColumnFiltersState, type SortingState } from '@tanstack/react-table'
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'

import { whenSortKey } from '../../board/dates'
import { EPISODE_STATUSES, PRACTICE_QUALITIES, addEpisode, arrange, board, moveAfter, moveBy, ordered, referenceOf, type Entity } from '../../board/schema'
import { LOCAL } from '../../sync/connection'
import { type Person } from '../../sync/presence'
import { UndoButtons } from '../Actions'
import { editorsOf } from '../Presence'
import { useBoardAccess } from '../boardAccess'
import { useOpenRequest } from '../openRequest'
import { QUALITY_LABELS, STATUS_LABELS } from '../format'
import { useUndo } from '../useUndo'
import { useY } from '../useY'
import { EpisodePanel } from './EpisodePanel'
import { EpisodeRow } from './EpisodeRow'
import { agenciesOf, text, value } from './cells'

const ALL = ''
type SortBy = 'board' | 'date'

interface RowData {
  id: string
  entity: Entity
  /** The ids of everything linked to the episode (factors, findings). */
  linked: string[]
}

/** Columns as TanStack Table sees them: what each sorts and filters on. */
const COLUMNS: ColumnDef<RowData>[] = [
  {
    id: 'when',
    // Undated episodes sort last.
    // ISO dates of any precision compare as strings: 2025 < 2025-07 < 2025-07-02.
    accessorFn: (row) => whenSortKey(value(row.entity, 'dateStart')),
    sortingFn: 'basic',
  },
  {
    id: 'status',
    accessorFn: (row) => value(row.entity, 'status'),
    filterFn: 'equalsString',
  },
  {
    id: 'agencies',
    accessorFn: (row) => agenciesOf(row.entity),
    filterFn: 'arrIncludes',
  },
  {
    id: 'quality',
    accessorFn: (row) => value(row.entity, 'quality'),
    filterFn: 'equalsString',
  },
  // The factors and findings an episode is linked to, by id.
  { id: 'factors', accessorFn: (row) => row.linked, filterFn: 'arrIncludes' },
  { id: 'findings', accessorFn: (row) => row.linked, filterFn: 'arrIncludes' },
]

/** The panel field each column opens at. */
const COLUMN_FIELDS = ['title', 'title', 'dateKind', 'agencies', 'whatHappened', 'quality', 'factors', 'status']

interface Active {
  id: string
  col: number
}
interface TableProps {
  doc: Y.Doc
  awareness: Awareness
  people: Person[]
}

export function EpisodeTable({ doc, awareness, people }: TableProps) {
  const roots = useMemo(() => board(doc), [doc])
  const version = useY(roots.episodes, roots.factors, roots.findings, roots.links)
  const [status, setStatus] = useState(ALL)
  const [agency, setAgency] = useState(ALL)
  const [quality, setQuality] = useState(ALL)
  const [factor, setFactor] = useState(ALL)
  const [finding, setFinding] = useState(ALL)
  const [sortBy, setSortBy] = useState<SortBy>('board')
  const [openId, setOpenId] = useState<string | null>(null)
  const [openField, setOpenField] = useState<string | undefined>()
  const [active, setActive] = useState<Active | null>(null)
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>())
  const history = useUndo([roots.episodes, roots.factors, roots.links])
  const { canEdit, snapshot } = useBoardAccess()

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` changes whenever the episodes do
  const all = useMemo(() => ordered(roots.episodes), [roots, version])
  const numbers = new Map(all.map(([id], i) => [id, i + 1]))
  const agencies = [...new Set(all.flatMap(([, e]) => agenciesOf(e)))].sort()
  // The row model, sorting and filtering are TanStack Table's; the rows themselves
  // are ours (memoised, and a keyboard grid). Its inputs keep stable references
  // between renders, as TanStack Table requires.
  const data = useMemo(() => {
    const linked = new Map<string, string[]>()
    for (const link of roots.links.values()) {
      const [from, to] = [String(link.get('from')), String(link.get('to'))]
      linked.set(from, [...(linked.get(from) ?? []), to])
      linked.set(to, [...(linked.get(to) ?? []), from])
    }
    return all.map(([id, entity]) => ({ id, entity, linked: linked.get(id) ?? [] }))
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` changes with the links
  }, [all, roots, version])
  const sorting: SortingState = useMemo(() => (sortBy === 'date' ? [{ id: 'when', desc: false }] : []), [sortBy])
  const columnFilters: ColumnFiltersState = useMemo(
    () => [
      ...(status === ALL ? [] : [{ id: 'status', value: status }]),
      ...(agency === ALL ? [] : [{ id: 'agencies', value: agency }]),
      ...(quality === ALL ? [] : [{ id: 'quality', value: quality }]),
      ...(factor === ALL ? [] : [{ id: 'factors', value: factor }]),
      ...(finding === ALL ? [] : [{ id: 'findings', value: finding }]),
    ],
    [status, agency, quality, factor, finding],
  )
  const table = useReactTable({
    data,
    columns: COLUMNS,
    state: { sorting, columnFilters },
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  })
  const rows: [string, Entity][] = table.getRowModel().rows.map((r) => [r.original.id, r.original.entity])
  // Rows move only where the table shows the board's own order, whole.
  const movable = canEdit && sortBy === 'board' && [status, agency, quality, factor, finding].every((f) => f === ALL)
  const movableRef = useRef(movable)
  movableRef.current = movable
  const [moved, setMoved] = useState('')
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }))
  const placeOf = useCallback(
    (id: string) => {
      const ids = ordered(roots.episodes).map(([i]) => i)
      const at = ids.indexOf(id)
      return `${referenceOf(roots.episodes.get(id)) || 'The episode'} is now ${at + 1} of ${ids.length}.`
    },
    [roots],
  )
  const onDragEnd = ({ active: dragged, over }: DragEndEvent) => {
    if (!over || dragged.id === over.id) return
    const ids = all.map(([i]) => i)
    const from = ids.indexOf(String(dragged.id))
    const to = ids.indexOf(String(over.id))
    if (from < 0 || to < 0) return
    // Down: after the row dropped on; up: before it.
    moveAfter(roots.episodes, String(dragged.id), to > from ? ids[to] : to === 0 ? null : ids[to - 1], LOCAL)
    setMoved(placeOf(String(dragged.id)))
  }
  const inDateOrder = () => {
    const byDate = [...all].sort(([, a], [, b]) => {
      const ka = whenSortKey(value(a, 'dateStart'))
      const kb = whenSortKey(value(b, 'dateStart'))
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
    arrange(roots.episodes, byDate.map(([id]) => id), LOCAL)
    setMoved('The episodes are in date order. Undo puts them back.')
  }
  // Factor titles per episode, built once per render from the links.
  const factorsOf = new Map<string, string[]>()
  for (const link of roots.links.values()) {
    const factor = roots.factors.get(String(link.get('from')))
    if (!factor) continue
    const episodeId = String(link.get('to'))
    const list = factorsOf.get(episodeId) ?? []
    list.push(text(factor, 'title') || 'Untitled factor')
    factorsOf.set(episodeId, list)
  }

  const focusCell = (cell: Active | null) => {
    if (!cell) return
    setActive(cell)
    const row = rowRefs.current.get(cell.id)
    ;(row?.children[cell.col] as HTMLElement | undefined)?.focus()
  }
  const add = () => {
    const id = addEpisode(doc, {}, { origin: LOCAL })
    setActive({ id, col: 1 })
    setOpenField('title')
    setOpenId(id)
  }
  const rowsRef = useRef(rows)
  rowsRef.current = rows
  const onCellKey = useCallback((e: React.KeyboardEvent, id: string, col: number) => {
    const current = rowsRef.current
    const index = current.findIndex(([rowId]) => rowId === id)
    const last = COLUMN_FIELDS.length - 1
    const go = (rowIndex: number, column: number) => {
      e.preventDefault()
      const target = current[Math.max(0, Math.min(current.length - 1, rowIndex))]?.[0]
      const c = Math.max(0, Math.min(last, column))
      if (!target) return
      setActive({ id: target, col: c })
      ;(rowRefs.current.get(target)?.children[c] as HTMLElement | undefined)?.focus()
    }
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault()
      if (!movableRef.current) return
      moveBy(roots.episodes, id, e.key === 'ArrowUp' ? -1 : 1, LOCAL)
      setMoved(placeOf(id))
    } else if (e.key === 'ArrowDown') go(index + 1, col)
    else if (e.key === 'ArrowUp') go(index - 1, col)
    else if (e.key === 'ArrowRight') go(index, col + 1)
    else if (e.key === 'ArrowLeft') go(index, col - 1)
    else if (e.key === 'Home') go(e.ctrlKey ? 0 : index, 0)
    else if (e.key === 'End') go(e.ctrlKey ? current.length - 1 : index, last)
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      setActive({ id, col })
      setOpenField(COLUMN_FIELDS[col])
      setOpenId(id)
    }
  }, [roots, placeOf])
  const openRow = useCallback((id: string, col: number) => {
    setActive({ id, col })
    setOpenField(undefined)
    setOpenId(id)
  }, [])
  const registerRow = useCallback((id: string, el: HTMLTableRowElement | null) => {
    if (el) rowRefs.current.set(id, el)
    else rowRefs.current.delete(id)
  }, [])
  const open = openId ? roots.episodes.get(openId) : undefined
  // The row being worked on stays in view when the panel opens and narrows the table.
  useEffect(() => {
    if (!openId) return
    requestAnimationFrame(() => rowRefs.current.get(openId)?.scrollIntoView({ block: 'nearest' }))
  }, [openId])
  useOpenRequest('episode', (id, field) => {
    setActive({ id, col: 1 })
    setOpenField(field)
    setOpenId(id)
  })

  return (
    <section
      className={`workspace${open ? ' with-panel' : ''}`}
      aria-labelledby="table-heading"
      onKeyDown={history.onKeyDown}
      onFocus={history.stopCapturing}
    >
      <div className="workspace-main">
        <div className="section-heading">
          <h1 id="table-heading">Practice-analysis table</h1>
          <div className="toolbar">
            <UndoButtons history={history} what="the table" />
            {canEdit && all.length > 1 && (
              <button className="button secondary" type="button" onClick={inDateOrder}>
                Put in date order
              </button>
            )}
            {canEdit && (
              <button className="button" type="button" onClick={add}>
                Add episode
              </button>
            )}
          </div>
        </div>
        {all.length === 0 ? (
          canEdit ? (
            <div className="empty-state">
              <h2>No key practice episodes yet</h2>
              <p>
                Add an episode for each moment that matters for understanding how the case developed — good
                practice as well as problematic. You can fill in the detail together, in any order.
              </p>
              <button className="button" type="button" onClick={add}>
                Add the first episode
              </button>
            </div>
          ) : (
            <div className="empty-state">
              <h2>No key practice episodes yet</h2>
              <p>
                {snapshot
                  ? 'This snapshot holds no episodes: none had been added when it was taken.'
                  : 'The review team has not added any episodes yet. They appear here as soon as they are added.'}
              </p>
            </div>
          )
        ) : (
          <>
            <div className="filters" role="group" aria-label="Filter and sort episodes">
              <label>
                Status{' '}
                <select value={status} onChange={(e) => setStatus(e.target.value)}>
                  <option value={ALL}>All statuses</option>
                  {EPISODE_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Agency{' '}
                <select value={agency} onChange={(e) => setAgency(e.target.value)}>
                  <option value={ALL}>All agencies</option>
                  {agencies.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Practice{' '}
                <select value={quality} onChange={(e) => setQuality(e.target.value)}>
                  <option value={ALL}>All practice</option>
                  {PRACTICE_QUALITIES.map((q) => (
                    <option key={q} value={q}>
                      {QUALITY_LABELS[q]}
                    </option>
                  ))}
                </select>
              </label>
              {roots.factors.size > 0 && (
                <label>
                  Factor{' '}
                  <select value={factor} onChange={(e) => setFactor(e.target.value)}>
                    <option value={ALL}>All factors</option>
                    {ordered(roots.factors).map(([id, f]) => (
                      <option key={id} value={id}>
                        {text(f, 'title') || 'Untitled factor'}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {roots.findings.size > 0 && (
                <label>
                  Finding{' '}
                  <select value={finding} onChange={(e) => setFinding(e.target.value)}>
                    <option value={ALL}>All findings</option>
                    {ordered(roots.findings).map(([id, f]) => (
                      <option key={id} value={id}>
                        {referenceOf(f) ? `${referenceOf(f)}: ` : ''}
                        {text(f, 'statement') || 'No statement yet'}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                Order{' '}
                <select value={sortBy} onChange={(e) => setSortBy(e.target.value as SortBy)}>
                  <option value="board">As arranged</option>
                  <option value="date">By date</option>
                </select>
              </label>
              <span className="filter-count" aria-live="polite">
                Showing {rows.length} of {all.length} episodes
              </span>
            </div>
            <p className="visually-hidden" role="status" data-testid="moved">
              {moved}
            </p>
            <table className="table" role="grid" aria-readonly="true" data-testid="episode-table">
              <caption className="visually-hidden">
                Key practice episodes. Use the arrow keys to move between cells and Enter to edit one
                {movable ? '; Alt with the up and down arrows moves the row' : ''}.
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    <abbr title="Reference">Ref.</abbr>
                  </th>
                  <th scope="col">Episode</th>
                  <th scope="col" aria-sort={sortBy === 'date' ? 'ascending' : undefined}>
                    When
                  </th>
                  <th scope="col">Agencies</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Practice</th>
                  <th scope="col">Factors</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <DndContext
                sensors={sensors}
                collisionDetection={closestCenter}
                onDragEnd={onDragEnd}
                // Its live region may not sit inside the table.
                accessibility={{ container: document.body }}
              >
              <SortableContext items={rows.map(([id]) => id)} strategy={verticalListSortingStrategy}>
              <tbody>
                {rows.map(([id, e]) => (
                  <EpisodeRow
                    key={id}
                    id={id}
                    episode={e}
                    number={numbers.get(id) ?? 0}
                    factors={(factorsOf.get(id) ?? []).join('; ')}
                    selected={id === openId}
                    activeCol={
                      (active && rows.some(([r]) => r === active.id) ? active.id : rows[0]?.[0]) === id
                        ? active?.id === id
                          ? active.col
                          : 0
                        : null
                    }
                    editors={editorsOf(people, { kind: 'episode', id })}
                    onOpen={openRow}
                    onKey={onCellKey}
                    register={registerRow}
                    movable={movable}
                  />
                ))}
              </tbody>
              </SortableContext>
              </DndContext>
            </table>
          </>
        )}
      </div>
      {open && openId && (
        <EpisodePanel
          key={openId}
          doc={doc}
          id={openId}
          episode={open}
          number={numbers.get(openId) ?? 0}
          awareness={awareness}
          people={people}
          initialField={openField}
          onClose={() => {
            setOpenId(null)
            focusCell(active?.id === openId ? active : { id: openId, col: 1 })
          }}
        />
      )}
    </section>
  )
}
