// "History" in a side panel: who changed this episode, factor or finding, and what,
// from the review's audit trail. Loads when the panel opens and again shortly after
// the entity changes (anyone's edit), so it follows the work as it happens.

import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import * as Y from 'yjs'

import { api } from '../api/client'
import { keys, useApi } from '../api/queries'
import { excerpt, groupHistory, historyParts, runsOf, type EntityKind } from '../review/history'
import { Words } from './compare/parts'
import { useBoardAccess } from './boardAccess'

/** How long after the last change the history is loaded again. */
const REFRESH_AFTER_MS = 1200
/** Lines shown before "Show all". */
const SHOWN = 8

export function EntityHistory({ kind, id, entity, links }: { kind: EntityKind; id: string; entity: Y.Map<unknown>; links?: Y.Map<unknown> }) {
  const { reviewId: live, snapshot } = useBoardAccess()
  // A snapshot's entities have no history of their own: the live board's would mislead.
  const reviewId = snapshot ? '' : live
  const queryClient = useQueryClient()
  const query = useApi(keys.history(reviewId, id), () => api.history(reviewId, id), { enabled: !!reviewId })
  // The words before and after each run of typing (refreshed with the history).
  const texts = useApi(keys.historyTexts(reviewId, id), () => api.historyTexts(reviewId, id), { enabled: !!reviewId }).data ?? []
  const events = query.data ?? null
  const error = query.failure
  const [all, setAll] = useState(false)

  useEffect(() => {
    if (!reviewId) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () => void queryClient.invalidateQueries({ queryKey: keys.history(reviewId, id) })
    const soon = () => {
      clearTimeout(timer)
      timer = setTimeout(load, REFRESH_AFTER_MS)
    }
    entity.observeDeep(soon)
    const onLinks = (event: Y.YMapEvent<unknown>) => {
      // A link to or from this entity, added or removed.
      for (const [key, change] of event.changes.keys) {
        const link = (change.action === 'delete' ? change.oldValue : links?.get(key)) as Y.Map<unknown> | undefined
        if (link instanceof Y.Map && (link.get('from') === id || link.get('to') === id)) return soon()
      }
    }
    links?.observe(onLinks)
    return () => {
      clearTimeout(timer)
      entity.unobserveDeep(soon)
      links?.unobserve(onLinks)
    }
  }, [queryClient, reviewId, id, entity, links])

  if (!reviewId) return null
  const groups = events ? groupHistory(events) : []
  const now = Date.now()
  const shown = all ? groups : groups.slice(0, SHOWN)
  return (
    <section className="history" aria-labelledby={`history-${id}`} data-testid="history">
      <h3 id={`history-${id}`}>History</h3>
      {error ? (
        <p className="error-message">The history could not be loaded. {error}</p>
      ) : events === null ? (
        <p className="muted">Loading the history…</p>
      ) : groups.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <>
          <ol className="history-list">
            {shown.map((g) => {
              const { who, when, what } = historyParts(g, kind, now)
              return (
                <li key={`${g.latest.at_ms}-${g.latest.seq}-${g.latest.field}-${g.latest.detail}`}>
                  <span className="history-line">
                    <span className="history-who">{who}</span>, <time dateTime={new Date(g.toMs).toISOString()}>{when}</time>: {what}
                  </span>
                  {runsOf(g, texts)
                    .filter((run) => run.before !== run.after)
                    .map((run) => (
                      <span className="history-words" key={run.seq} data-testid="history-words">
                        <Words segments={excerpt(run.words)} />
                      </span>
                    ))}
                </li>
              )
            })}
          </ol>
          {groups.length > SHOWN && (
            <button className="link-button" type="button" onClick={() => setAll(!all)}>
              {all ? 'Show the latest changes only' : `Show all ${groups.length} changes`}
            </button>
          )}
        </>
      )}
    </section>
  )
}
