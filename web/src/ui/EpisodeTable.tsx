// The practice-analysis table: one row per key practice episode, edited live.
//
// Keyboard (a grid with one cell in the tab order): arrow keys move between cells and
// rows, Home/End to the first/last cell of a row, Ctrl+Home/End to the first/last row;
// Enter opens the episode in the side panel at that column's field; Escape closes the
// panel and returns to the cell.

import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnFiltersState,
  type SortingState,
} from '@tanstack/react-table'
import * as Y from 'yjs'

import {
  DATE_KINDS,
  EPISODE_STATUSES,
  PRACTICE_QUALITIES,
  addEpisode,
  addFactor,
  addLink,
  board,
  deleteEntity,
  moveBy,
  ordered,
  textOf,
  vocabulary,
  type Entity,
} from '../board/schema'
import type { Awareness } from 'y-protocols/awareness'

import { LOCAL } from '../sync/connection'
import { describe, setFocus, type Person } from '../sync/presence'
import { Avatar, EditingNote, editorsOf } from './Presence'
import { DATE_KIND_LABELS, QUALITY_LABELS, STATUS_LABELS, formatWhen } from './format'
import { PanelActions, SelectField, UndoButtons } from './Actions'
import { useBoardAccess } from './boardAccess'
import { EntityHistory } from './History'
import { TextField } from './TextField'
import { useUndo } from './useUndo'
import { useY } from './useY'

const ALL = ''
type SortBy = 'board' | 'date'

interface RowData {
  id: string
  entity: Entity
}

/** Columns as TanStack Table sees them: what each sorts and filters on. */
const COLUMNS: ColumnDef<RowData>[] = [
  {
    id: 'when',
    // Undated episodes sort last.
    accessorFn: (row) => value(row.entity, 'dateStart') || '9999',
    sortingFn: 'alphanumeric',
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
]

/** The panel field each column opens at. */
const COLUMN_FIELDS = ['title', 'title', 'dateKind', 'agencies', 'whatHappened', 'quality', 'factors', 'status']

interface Active {
  id: string
  col: number
}

const text = (entity: Entity, field: string) => textOf(entity, field)?.toString() ?? ''
const value = (entity: Entity, field: string) => {
  const v = entity.get(field)
  return typeof v === 'string' ? v : ''
}
const agenciesOf = (entity: Entity): string[] => {
  const agencies = entity.get('agencies')
  return agencies instanceof Y.Map ? [...agencies.keys()].sort() : []
}

interface TableProps {
  doc: Y.Doc
  awareness: Awareness
  people: Person[]
}

export function EpisodeTable({ doc, awareness, people }: TableProps) {
  const roots = useMemo(() => board(doc), [doc])
  const version = useY(roots.episodes, roots.factors, roots.links)
  const [status, setStatus] = useState(ALL)
  const [agency, setAgency] = useState(ALL)
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
  const data = useMemo(() => all.map(([id, entity]) => ({ id, entity })), [all])
  const sorting: SortingState = useMemo(() => (sortBy === 'date' ? [{ id: 'when', desc: false }] : []), [sortBy])
  const columnFilters: ColumnFiltersState = useMemo(
    () => [
      ...(status === ALL ? [] : [{ id: 'status', value: status }]),
      ...(agency === ALL ? [] : [{ id: 'agencies', value: agency }]),
    ],
    [status, agency],
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
    if (e.key === 'ArrowDown') go(index + 1, col)
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
  }, [])
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
            <table className="table" role="grid" aria-readonly="true" data-testid="episode-table">
              <caption className="visually-hidden">
                Key practice episodes. Use the arrow keys to move between cells and Enter to edit one.
              </caption>
              <thead>
                <tr>
                  <th scope="col">No.</th>
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
                  />
                ))}
              </tbody>
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

interface RowProps {
  id: string
  episode: Entity
  number: number
  factors: string
  selected: boolean
  /** The column of the cell in the tab order, if it is in this row. */
  activeCol: number | null
  editors: Person[]
  onOpen: (id: string, col: number) => void
  onKey: (e: React.KeyboardEvent, id: string, col: number) => void
  register: (id: string, el: HTMLTableRowElement | null) => void
}

/** One row; re-renders only when its own episode, number, links or editors change. */
const EpisodeRow = memo(
  function EpisodeRow({ id, episode: e, number, factors, selected, activeCol, editors, onOpen, onKey, register }: RowProps) {
    useY(e)
    const cell = (col: number) => ({
      tabIndex: activeCol === col ? 0 : -1,
      onKeyDown: (ev: React.KeyboardEvent) => onKey(ev, id, col),
      onClick: () => onOpen(id, col),
    })
    return (
      <tr ref={(el) => register(id, el)} className={selected ? 'selected' : undefined} aria-selected={selected} data-testid="episode-row">
        <td {...cell(0)}>{number}</td>
        <th scope="row" {...cell(1)}>
          {text(e, 'title') || <span className="muted">Untitled episode</span>}
          <RowEditors editors={editors} />
        </th>
        <td {...cell(2)}>{formatWhen(value(e, 'dateKind'), value(e, 'dateStart'), value(e, 'dateEnd'))}</td>
        <td {...cell(3)}>{agenciesOf(e).join(', ')}</td>
        <td {...cell(4)}>
          <div className="clip">{text(e, 'whatHappened')}</div>
        </td>
        <td {...cell(5)}>
          <span className={`tag quality-${value(e, 'quality')}`}>{QUALITY_LABELS[value(e, 'quality')] ?? '—'}</span>
        </td>
        <td {...cell(6)}>{factors || <span className="muted">None linked</span>}</td>
        <td {...cell(7)}>{STATUS_LABELS[value(e, 'status')] ?? '—'}</td>
      </tr>
    )
  },
  (a, b) =>
    a.id === b.id &&
    a.episode === b.episode &&
    a.number === b.number &&
    a.factors === b.factors &&
    a.selected === b.selected &&
    a.activeCol === b.activeCol &&
    a.onOpen === b.onOpen &&
    a.onKey === b.onKey &&
    a.register === b.register &&
    a.editors.map((p) => p.clientId).join() === b.editors.map((p) => p.clientId).join(),
)

function RowEditors({ editors }: { editors: Person[] }) {
  if (editors.length === 0) return null
  return (
    <span className="row-editors">
      {editors.map((p) => (
        <Avatar key={p.clientId} person={p} />
      ))}
      <span className="visually-hidden">{editors.map(describe).join(', ')} editing</span>
    </span>
  )
}

interface PanelProps {
  doc: Y.Doc
  id: string
  episode: Entity
  number: number
  awareness: Awareness
  people: Person[]
  /** The field to put the caret in when the panel opens. */
  initialField?: string
  onClose: () => void
}

function EpisodePanel({ doc, id, episode, number, awareness, people, initialField, onClose }: PanelProps) {
  useY(episode)
  const { canEdit } = useBoardAccess()
  const panelRef = useRef<HTMLElement>(null)
  // Only when the panel opens: the field asked for then.
  const firstField = useRef(initialField)
  useEffect(() => {
    const target = panelRef.current?.querySelector<HTMLElement>(
      `[data-field="${firstField.current ?? 'title'}"] :is(input, textarea, select)`,
    )
    target?.focus()
  }, [])
  // Props for a free-text field: its Y.Text, who else edits it, and our focus on it.
  const live = (field: string) => ({
    field,
    text: textOf(episode, field)!,
    note: <EditingNote editors={editorsOf(people, { kind: 'episode', id, field })} />,
    onFocusChange: (focused: boolean) => setFocus(awareness, focused ? { kind: 'episode', id, field } : null),
  })
  const set = (field: string, v: string) => doc.transact(() => episode.set(field, v), LOCAL)
  const agencies = agenciesOf(episode)
  const episodes = board(doc).episodes
  const move = (by: -1 | 1) => moveBy(episodes, id, by, LOCAL)
  const title = text(episode, 'title')
  return (
    <aside
      ref={panelRef}
      className="panel"
      aria-labelledby="panel-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault()
          onClose()
        }
      }}
    >
      <div className="panel-header">
        <h2 id="panel-heading">
          Episode {number}
          {title ? `: ${title}` : ''}
        </h2>
        <button className="button secondary" type="button" onClick={onClose}>
          Close<span className="visually-hidden"> episode {number}</span>
        </button>
      </div>
      <TextField {...live('title')} label="Title" multiline={false} testId="episode-title" />
      <div className="field-row">
        <SelectField
          id="date-kind"
          label="Date type"
          value={value(episode, 'dateKind')}
          options={DATE_KINDS}
          labels={DATE_KIND_LABELS}
          onChange={(v) => set('dateKind', v)}
          field="dateKind"
        />
        <PlainField
          label={value(episode, 'dateKind') === 'period' ? 'From' : 'Date'}
          hint="For example 2023-03-14, or 2023-03 for a month"
          value={value(episode, 'dateStart')}
          onChange={(v) => set('dateStart', v)}
        />
        {value(episode, 'dateKind') === 'period' && (
          <PlainField label="To" value={value(episode, 'dateEnd')} onChange={(v) => set('dateEnd', v)} />
        )}
      </div>
      <PlainField
        field="agencies"
        label="Agencies involved"
        hint="Separate agencies with commas"
        value={agencies.join(', ')}
        onChange={(v) => {
          const wanted = new Set(v.split(',').map((a) => a.trim()).filter(Boolean))
          const map = episode.get('agencies')
          if (!(map instanceof Y.Map)) return
          doc.transact(() => {
            for (const a of [...map.keys()]) if (!wanted.has(a)) map.delete(a)
            for (const a of wanted) if (!map.has(a)) map.set(a, true)
          }, LOCAL)
        }}
      />
      <TextField {...live('whatHappened')} label="What happened" testId="episode-what-happened" />
      <TextField
        {...live('seenAtTheTime')}
        label="How it was seen at the time"
        hint="What the people involved thought was happening, what they were trying to achieve, and what options they saw"
      />
      <TextField
        {...live('appraisal')}
        label="Reviewers’ appraisal of practice"
        hint="Judged against what was known at the time, not with hindsight"
        testId="episode-appraisal"
      />
      <fieldset className="field" data-field="quality">
        <legend className="field-label">Practice quality</legend>
        <div className="radios">
          {PRACTICE_QUALITIES.map((q) => (
            <label key={q} className="radio">
              <input
                type="radio"
                name={`quality-${id}`}
                value={q}
                checked={value(episode, 'quality') === q}
                disabled={!canEdit}
                onChange={() => set('quality', q)}
              />{' '}
              {QUALITY_LABELS[q]}
            </label>
          ))}
        </div>
      </fieldset>
      <EpisodeFactors doc={doc} episodeId={id} />
      <TextField {...live('evidence')} label="Evidence" hint="Records, conversation notes, meeting notes" rows={3} />
      <TextField {...live('openQuestions')} label="Open questions" rows={3} />
      <SelectField
        id="episode-status"
        label="Status"
        value={value(episode, 'status')}
        options={EPISODE_STATUSES}
        labels={STATUS_LABELS}
        onChange={(v) => set('status', v)}
        field="status"
      />
      <PanelActions
        noun="episode"
        number={number}
        onMove={move}
        onDelete={() => {
          deleteEntity(doc, id, LOCAL)
          onClose()
        }}
      />
      <EntityHistory kind="episode" id={id} entity={episode} links={board(doc).links as Y.Map<unknown>} />
    </aside>
  )
}

/** A plain (last-writer-wins) value, saved when the user leaves the box. */
function PlainField({
  label,
  hint,
  value,
  onChange,
  field,
}: {
  label: string
  hint?: string
  value: string
  onChange: (value: string) => void
  field?: string
}) {
  const [draft, setDraft] = useState<string | null>(null)
  const { canEdit } = useBoardAccess()
  const id = `plain-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`
  return (
    <div className="field" data-field={field}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        className="field-input"
        aria-describedby={hint ? `${id}-hint` : undefined}
        value={draft ?? value}
        readOnly={!canEdit}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => {
          if (draft !== null && draft !== value) onChange(draft)
          setDraft(null)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur()
        }}
      />
    </div>
  )
}

/** The contributory factors linked to an episode: link new or existing ones. */
function EpisodeFactors({ doc, episodeId }: { doc: Y.Doc; episodeId: string }) {
  const roots = board(doc)
  useY(roots.factors, roots.links)
  const { canEdit } = useBoardAccess()
  const [title, setTitle] = useState('')
  const [level, setLevel] = useState('frontline')
  const [existing, setExisting] = useState('')
  const levels = [...vocabulary(doc, 'factorLevels').entries()].sort(
    ([, a], [, b]) => a.order - b.order,
  )
  const linked = [...roots.links.entries()].filter(
    ([, l]) => l.get('to') === episodeId && roots.factors.has(String(l.get('from'))),
  )
  const linkedIds = new Set(linked.map(([, l]) => String(l.get('from'))))
  const available = ordered(roots.factors).filter(([id]) => !linkedIds.has(id))
  const factorTitle = (id: string) => text(roots.factors.get(id)!, 'title') || 'Untitled factor'
  return (
    <fieldset className="field" data-field="factors">
      <legend className="field-label">Contributory factors</legend>
      {linked.length === 0 ? (
        <p className="field-hint">
          {canEdit ? 'No factors linked yet. Factors added here also appear on the factor map.' : 'No factors linked yet.'}
        </p>
      ) : (
        <ul className="link-list" data-testid="episode-factors">
          {linked.map(([linkId, l]) => (
            <li key={linkId}>
              {factorTitle(String(l.get('from')))}{' '}
              {canEdit && (
                <button className="link-button" type="button" onClick={() => doc.transact(() => roots.links.delete(linkId), LOCAL)}>
                  Unlink<span className="visually-hidden"> {factorTitle(String(l.get('from')))}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <>
          <div className="field-row">
            <div className="field">
              <label className="field-label" htmlFor="new-factor">
                New factor
              </label>
              <input id="new-factor" className="field-input" value={title} onChange={(e) => setTitle(e.target.value)} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="new-factor-level">
                Level
              </label>
              <select id="new-factor-level" value={level} onChange={(e) => setLevel(e.target.value)}>
                {levels.map(([code, v]) => (
                  <option key={code} value={code}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button
            className="button secondary"
            type="button"
            disabled={!title.trim()}
            onClick={() => {
              doc.transact(() => {
                const factorId = addFactor(doc, { title: title.trim(), level }, { origin: LOCAL })
                addLink(doc, factorId, episodeId, 'contributed_to', 'negative', { origin: LOCAL })
              }, LOCAL)
              setTitle('')
            }}
          >
            Add factor
          </button>
          {available.length > 0 && (
            <div className="field-row link-existing">
              <div className="field">
                <label className="field-label" htmlFor="existing-factor">
                  Or link an existing factor
                </label>
                <select id="existing-factor" value={existing} onChange={(e) => setExisting(e.target.value)}>
                  <option value="">Choose a factor</option>
                  {available.map(([id]) => (
                    <option key={id} value={id}>
                      {factorTitle(id)}
                    </option>
                  ))}
                </select>
              </div>
              <button
                className="button secondary remove"
                type="button"
                disabled={!existing}
                onClick={() => {
                  addLink(doc, existing, episodeId, 'contributed_to', 'negative', { origin: LOCAL })
                  setExisting('')
                }}
              >
                Link factor
              </button>
            </div>
          )}
        </>
      )}
    </fieldset>
  )
}
