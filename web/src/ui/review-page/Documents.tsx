// The review's documents: the board and notes, restricted notes with who may open them.

import { useState } from 'react'

import { type DocumentView, type Member, type ReviewDetail } from '../../api/client'
import { participantNames, restrictedSentence } from '../../review/notes'
import { boardHref, linkTo, notesHref } from '../route'
import { EditNotes, NewNotes } from './NotesForms'
import { Section } from './Section'

export function Documents({
  detail,
  lead,
  members,
  onChanged,
}: {
  detail: ReviewDetail
  lead: boolean
  members: Member[]
  onChanged: () => void
}) {
  const [saved, setSaved] = useState('')
  const board = detail.documents.find((d) => d.name === 'board')
  const notes = detail.documents.filter((d) => d.restricted)
  const reviewId = detail.review.id
  return (
    <Section id="documents" title="Documents">
      <p className="saved" role="status">
        {saved}
      </p>
      <ul className="documents" data-testid="documents">
        {board && (
          <li className="document">
            <div>
              <a className="document-title" {...linkTo(boardHref(reviewId))}>
                {board.title || 'Analysis board'}
              </a>
              <p className="muted">
                The practice-analysis table, the factor map and the findings, worked on together in the meetings.
              </p>
            </div>
            <AccessTag access={board.access} />
          </li>
        )}
        {notes.map((d) => {
          const known = lead && d.participants ? participantNames(d.participants, members) : null
          return (
            <li key={d.name} className="document" data-testid="notes-document">
              <div className="document-body">
                <a className="document-title" {...linkTo(notesHref(reviewId, d.name))}>
                  {d.title}
                </a>
                <p className="muted" data-testid="notes-who">
                  {known
                    ? restrictedSentence(known.names)
                    : 'Restricted: only the people the lead reviewers chose, you among them, and the lead reviewers can open these notes.'}
                  {known && known.missing > 0 && ` (${known.missing === 1 ? 'One person' : `${known.missing} people`} named earlier ${known.missing === 1 ? 'is' : 'are'} no longer in the review.)`}
                </p>
                {lead && (
                  <EditNotes
                    reviewId={reviewId}
                    document={d}
                    members={members}
                    onSaved={(message) => {
                      setSaved(message)
                      onChanged()
                    }}
                  />
                )}
              </div>
              <div className="document-tags">
                <span className="tag restricted">Restricted</span>
                <AccessTag access={d.access} />
              </div>
            </li>
          )
        })}
      </ul>
      {lead && (
        <NewNotes
          reviewId={reviewId}
          members={members}
          onCreated={(message) => {
            setSaved(message)
            onChanged()
          }}
        />
      )}
    </Section>
  )
}

function AccessTag({ access }: { access: DocumentView['access'] }) {
  const words = { edit: 'You can edit', edit_except_agreed: 'You can edit; agreed work only by suggestion', read: 'Read only' }
  return <span className={`tag${access === 'read' ? '' : ' ok'}`}>{words[access]}</span>
}
