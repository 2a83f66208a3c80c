// One row of the practice-analysis table, and who is editing it.

import { memo } from 'react'
import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'

import { referenceOf, type Entity } from '../../board/schema'
import { describe, type Person } from '../../sync/presence'
import { Avatar } from '../Presence'
import { QUALITY_LABELS, STATUS_LABELS, formatWhen } from '../format'
import { useY } from '../useY'
import { agenciesOf, text, value } from './cells'

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
  /** The row may be dragged to another place (the table shows the board's order, unfiltered). */
  movable: boolean
}

/** One row; re-renders only when its own episode, number, links or editors change. */
export const EpisodeRow = memo(
  function EpisodeRow({ id, episode: e, factors, selected, activeCol, editors, onOpen, onKey, register, movable }: RowProps) {
    useY(e)
    const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id, disabled: !movable })
    const cell = (col: number) => ({
      tabIndex: activeCol === col ? 0 : -1,
      onKeyDown: (ev: React.KeyboardEvent) => onKey(ev, id, col),
      onClick: () => onOpen(id, col),
    })
    return (
      <tr
        ref={(el) => {
          register(id, el)
          setNodeRef(el)
        }}
        className={[selected ? 'selected' : '', isDragging ? 'dragging' : ''].filter(Boolean).join(' ') || undefined}
        style={{ transform: CSS.Translate.toString(transform), transition }}
        aria-selected={selected}
        data-testid="episode-row"
      >
        <td {...cell(0)}>
          {movable && (
            // Pointer only: from the keyboard, Alt+Up and Alt+Down move the row.
            <span className="drag-handle" {...attributes} {...listeners} tabIndex={-1} role="presentation" aria-hidden="true" title="Drag to move">
              ⠿
            </span>
          )}
          {referenceOf(e) || <span className="muted" title="Gets its reference once the server has it">New</span>}
        </td>
        <th scope="row" {...cell(1)}>
          <div className="clip-2">{text(e, 'title') || <span className="muted">Untitled episode</span>}</div>
          <RowEditors editors={editors} />
        </th>
        <td {...cell(2)}>{formatWhen(value(e, 'dateKind'), value(e, 'dateStart'), value(e, 'dateEnd'))}</td>
        <td {...cell(3)}>
          <div className="clip-2">{agenciesOf(e).join(', ')}</div>
        </td>
        <td {...cell(4)}>
          <div className="clip">{text(e, 'whatHappened')}</div>
        </td>
        <td {...cell(5)}>
          <span className={`tag quality-${value(e, 'quality')}`}>{QUALITY_LABELS[value(e, 'quality')] ?? '—'}</span>
        </td>
        <td {...cell(6)}>
          {factors ? <FactorSummary factors={factors} /> : <span className="muted">None linked</span>}
        </td>
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
    a.movable === b.movable &&
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

/** Many factors read as how many there are and the first ones, never a 500 px list. */
function FactorSummary({ factors }: { factors: string }) {
  const list = factors.split('; ')
  if (list.length <= 2) return <div className="clip-2">{factors}</div>
  return (
    <div className="clip-2" title={factors}>
      <strong>{list.length} factors:</strong> {list.slice(0, 2).join('; ')}…
    </div>
  )
}
