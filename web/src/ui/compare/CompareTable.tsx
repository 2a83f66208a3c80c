// Rows side by side: one table of before | after for one kind of entity.

import { type Comparison } from '../../api/client'
import { type PlainBoard } from '../../board/plain'
import { fieldName, rowMark, type CompareKind, type CompareRow } from '../../review/compare'
import { Absent, FieldCells, sentence } from './parts'
import { RestoreItemButton } from './restoreItem'

export function CompareTable<T extends { id: string }>({
  kind,
  rows,
  before,
  after,
  fromName,
  toName,
  caption,
  title,
  summary,
  extra,
  testId,
}: {
  kind: CompareKind
  rows: CompareRow<T>[]
  before: PlainBoard
  after: PlainBoard
  fromName: string
  toName: string
  caption: string
  title: (e: T) => string
  summary: (e: T, board: PlainBoard) => React.ReactNode
  /** More rows under an entity's own (a finding's re-classification and recommendations). */
  extra?: (row: CompareRow<T>) => React.ReactNode
  testId: string
}) {
  const noun = NOUN[kind]
  return (
    <table className="table compare-table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <colgroup>
        <col className="compare-field" />
        <col className="compare-side" />
        <col className="compare-side" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Field</span>
          </th>
          <th scope="col">Before: {fromName}</th>
          <th scope="col">After: {toName}</th>
        </tr>
      </thead>
      {rows.map((row) => {
        const entity = (row.after ?? row.before)!
        // Stable references where the boards have them, positions otherwise.
        const number = (entity as { ref?: string }).ref || (row.numberAfter ?? row.numberBefore)
        return (
          <tbody key={row.id} className={`compare-entity change-${row.change}`} data-testid="compare-entity" data-change={row.change}>
            <tr className="entity-heading">
              <th scope="colgroup" colSpan={3}>
                <span className={`tag change-tag change-${row.change}`}>{rowMark(kind, row)}</span>{' '}
                <span className="entity-name">
                  {sentence(noun)} {number}: {title(entity)}
                </span>
                {row.change !== 'added' && row.change !== 'same' && (
                  <>
                    {' '}
                    <RestoreItemButton kind={kind} id={row.id}>
                      {row.change === 'removed' ? 'Put it back' : 'Restore it whole'}
                      <span className="visually-hidden">
                        {' '}
                        ({noun} {number}) as in {fromName}
                      </span>
                    </RestoreItemButton>
                  </>
                )}
              </th>
            </tr>
            {row.change === 'added' && (
              <tr>
                <th scope="row">{sentence(noun)}</th>
                <td>
                  <Absent />
                </td>
                <td>{summary(row.after!, after)}</td>
              </tr>
            )}
            {row.change === 'removed' && (
              <tr>
                <th scope="row">{sentence(noun)}</th>
                <td>{summary(row.before!, before)}</td>
                <td>
                  <Absent />
                </td>
              </tr>
            )}
            {row.change === 'changed' &&
              row.fields.map((f) => (
                <tr key={f.field} data-field={f.field}>
                  <th scope="row">
                    {sentence(fieldName(kind, f.field))}
                    <RestoreItemButton kind={kind} id={row.id} field={f.field}>
                      Restore this<span className="visually-hidden"> {fieldName(kind, f.field)} as in {fromName}</span>
                    </RestoreItemButton>
                  </th>
                  <FieldCells kind={kind} change={f} before={before} after={after} numbers={{ before: row.numberBefore, after: row.numberAfter }} />
                </tr>
              ))}
            {extra?.(row)}
          </tbody>
        )
      })}
    </table>
  )
}

const NOUN: Record<CompareKind, string> = {
  episode: 'episode',
  factor: 'factor',
  finding: 'finding',
  recommendation: 'recommendation',
  link: 'link',
}

export function UnchangedToggle({ n, noun, on, onChange }: { n: number; noun: string; on: boolean; onChange: (on: boolean) => void }) {
  if (n === 0) return null
  return (
    <label className="checkbox unchanged-toggle">
      <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked)} /> Show the {n} unchanged {noun}
    </label>
  )
}

export interface TabProps {
  c: Comparison
  before: PlainBoard
  after: PlainBoard
  fromName: string
  toName: string
}
