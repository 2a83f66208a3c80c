// The review's bin: what was deleted from the board (by anyone, however), with who
// deleted it and when. The review team and lead reviewers put items back one at a
// time, with their links whose other end is still on the board; every connected
// client receives the item like any edit. A lead can empty the bin for good.

import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'

import { api, errorText, type BinEntry } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { when } from '../../review/words'
import { ErrorSummary } from '../Form'
import { sessionEnded, useSession } from '../session'
import { Section } from './Section'

const KIND_LABELS: Record<string, string> = {
  episode: 'Episode',
  factor: 'Factor',
  finding: 'Finding',
  link: 'Link',
}

const NO_ENTRIES: BinEntry[] = []

export function ReviewBin({ reviewId, lead, onChanged }: { reviewId: string; lead: boolean; onChanged: () => void }) {
  const queryClient = useQueryClient()
  const session = useSession()
  const binQuery = useApi(keys.bin(reviewId), () => api.bin(reviewId))
  const entries = binQuery.data ?? NO_ENTRIES
  const [message, setMessage] = useState('')
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [emptying, setEmptying] = useState(false)
  const reload = () => queryClient.invalidateQueries({ queryKey: keys.bin(reviewId) })

  const putBack = async (entry: BinEntry) => {
    setBusy(entry.id)
    setProblem('')
    try {
      await api.restoreFromBin(reviewId, entry.id)
      setMessage(`Put back the ${KIND_LABELS[entry.kind]?.toLowerCase() ?? 'item'} “${entry.label}”. Everyone on the board sees it again.`)
      onChanged()
    } catch (e) {
      if (sessionEnded(e, session)) return
      setProblem(errorText(e))
    } finally {
      setBusy(null)
      await reload()
    }
  }

  const empty = async () => {
    setBusy('all')
    setProblem('')
    try {
      const { deleted } = await api.emptyBin(reviewId)
      setMessage(deleted === 1 ? 'Deleted 1 item for good.' : `Deleted ${deleted} items for good.`)
      setEmptying(false)
      onChanged()
    } catch (e) {
      if (sessionEnded(e, session)) return
      setProblem(errorText(e))
    } finally {
      setBusy(null)
      await reload()
    }
  }

  const failure = problem || binQuery.failure
  return (
    <Section
      id="bin"
      title="Deleted items"
      intro={
        <>
          Whatever is deleted from the board comes here, whoever deleted it. Put an item back and it returns to the board
          for everyone, with its links to anything still on the board and its place on the factor map. Nothing else on
          the board changes.
        </>
      }
    >
      <ErrorSummary problems={failure ? [{ message: failure }] : []} />
      <p className="saved" role="status" data-testid="bin-message">
        {message}
      </p>
      {binQuery.data === undefined ? (
        <p className="muted">Loading the deleted items…</p>
      ) : entries.length === 0 ? (
        <div className="empty-state" data-testid="bin-empty">
          <h3>Nothing has been deleted</h3>
          <p>Episodes, factors, findings and links deleted from the board appear here, so that they can be put back.</p>
        </div>
      ) : (
        <>
          <table className="table" data-testid="bin-table">
            <caption className="visually-hidden">Items deleted from the board, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Deleted by</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="bin-entry">
                  <td>
                    <span className="tag">{KIND_LABELS[entry.kind] ?? entry.kind}</span> {entry.label || '(untitled)'}
                    {entry.links > 0 && (
                      <span className="muted"> · {entry.links === 1 ? '1 link' : `${entry.links} links`}</span>
                    )}
                  </td>
                  <td>
                    {entry.deletedBy.name}
                    {entry.deletedBy.agency && <span className="muted"> ({entry.deletedBy.agency})</span>}
                  </td>
                  <td>
                    <time dateTime={new Date(entry.deletedAt).toISOString()}>{when(entry.deletedAt)}</time>
                  </td>
                  <td className="actions-cell">
                    {entry.restorable ? (
                      <button
                        className="button secondary small"
                        type="button"
                        disabled={busy !== null}
                        onClick={() => void putBack(entry)}
                      >
                        Put back<span className="visually-hidden"> {entry.label}</span>
                      </button>
                    ) : (
                      <span className="muted">Cannot come back: what it linked is no longer on the board</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {lead &&
            (emptying ? (
              <p className="confirm" role="alert">
                Delete {entries.length === 1 ? 'this item' : `these ${entries.length} items`} for good? Snapshots keep what
                they hold.{' '}
                <button className="button warning small" type="button" disabled={busy !== null} onClick={() => void empty()}>
                  Yes, empty the bin
                </button>{' '}
                <button className="button secondary small" type="button" onClick={() => setEmptying(false)}>
                  Keep them
                </button>
              </p>
            ) : (
              <p>
                <button className="link-button" type="button" onClick={() => setEmptying(true)}>
                  Empty the bin
                </button>
              </p>
            ))}
        </>
      )}
    </Section>
  )
}
