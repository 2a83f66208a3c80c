// Choices two people made at the same time (one of them offline), shown to both when
// their changes meet: which value the board kept, which it did not, and a way to use
// the other one. Nothing is decided for them beyond what Yjs already kept.

import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

import { watchChoiceConflicts, type ChoiceConflict } from '../board/conflicts'
import { board, referenceOf, setField, vocabulary, type Entity } from '../board/schema'
import { LOCAL } from '../sync/connection'
import {
  DATE_KIND_LABELS,
  FACTOR_POLARITY_LABELS,
  FINDING_STATUS_LABELS,
  POLARITY_LABELS,
  PRIORITY_LABELS,
  QUALITY_LABELS,
  STATUS_LABELS,
} from './format'
import { useBoardAccess } from './boardAccess'

const FIELD_NAMES: Record<string, string> = {
  status: 'Status',
  quality: 'Practice quality',
  category: 'Typology category',
  priority: 'Priority',
  dateKind: 'Date type',
  level: 'Level',
  type: 'Type',
  polarity: 'Influence',
  kind: 'Kind of link',
}

/** How a choice reads on screen. */
function choiceLabel(doc: Y.Doc, c: ChoiceConflict, value: string): string {
  const lists: Record<string, Record<string, string> | undefined> = {
    status: c.kind === 'finding' ? FINDING_STATUS_LABELS : STATUS_LABELS,
    quality: QUALITY_LABELS,
    priority: PRIORITY_LABELS,
    dateKind: DATE_KIND_LABELS,
    polarity: c.kind === 'link' ? POLARITY_LABELS : FACTOR_POLARITY_LABELS,
  }
  const vocab = { category: 'typology', level: 'factorLevels', type: c.kind === 'factor' ? 'factorTypes' : '' } as const
  const name = vocab[c.field as keyof typeof vocab]
  const fromVocab = name ? vocabulary(doc, name).get(value)?.label : undefined
  return fromVocab ?? lists[c.field]?.[value] ?? (value || 'none')
}

function entityOf(doc: Y.Doc, c: ChoiceConflict): { entity: Entity | undefined; name: string } {
  const roots = board(doc)
  const map = { episode: roots.episodes, factor: roots.factors, finding: roots.findings, link: roots.links }[c.kind]
  const entity = map.get(c.id)
  if (c.kind === 'link') return { entity, name: 'A link' }
  const reference = referenceOf(entity)
  const title = entity?.get(c.kind === 'finding' ? 'statement' : 'title')?.toString() ?? ''
  const noun = { episode: 'Episode', factor: 'Factor', finding: 'Finding' }[c.kind]
  return { entity, name: `${noun}${reference ? ` ${reference}` : ''}${title ? ` “${title}”` : ''}` }
}

const key = (c: ChoiceConflict) => `${c.kind}/${c.id}/${c.field}`

export function ChoiceConflicts({ doc }: { doc: Y.Doc }) {
  const { canEdit } = useBoardAccess()
  const [conflicts, setConflicts] = useState<ChoiceConflict[]>([])
  useEffect(
    () =>
      watchChoiceConflicts(doc, (found) =>
        setConflicts((list) => [...list.filter((c) => !found.some((f) => key(f) === key(c))), ...found]),
      ),
    [doc],
  )
  if (conflicts.length === 0) return null
  const done = (c: ChoiceConflict) => setConflicts((list) => list.filter((x) => key(x) !== key(c)))
  return (
    <section className="notice conflicts" aria-labelledby="conflicts-heading" data-testid="choice-conflicts">
      <h2 id="conflicts-heading">Changes made at the same time</h2>
      <p>
        Two people set the same choice at the same time, at least one of them while offline. The board kept one value;
        check that it is the one you want.
      </p>
      <ul>
        {conflicts.map((c) => {
          const { entity, name } = entityOf(doc, c)
          const kept = choiceLabel(doc, c, c.kept)
          const dropped = c.dropped === null ? null : choiceLabel(doc, c, c.dropped)
          return (
            <li key={key(c)} data-testid="choice-conflict">
              <strong>
                {name}, {FIELD_NAMES[c.field] ?? c.field}:
              </strong>{' '}
              {dropped === null
                ? `someone else set it at the same time; the board kept “${kept}”.`
                : `the board kept “${kept}”; “${dropped}” was set at the same time and not kept.`}{' '}
              {canEdit && entity && c.dropped !== null && (
                <button
                  className="button secondary small"
                  type="button"
                  onClick={() => {
                    setField(entity, c.field, c.dropped ?? '', LOCAL)
                    done(c)
                  }}
                >
                  Use “{dropped}”
                </button>
              )}{' '}
              <button className="link-button" type="button" onClick={() => done(c)}>
                {c.dropped === null ? 'OK' : `Keep “${kept}”`}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
