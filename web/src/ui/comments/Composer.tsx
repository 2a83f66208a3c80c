// Writing a comment: a text box where typing '@' offers the review's people (arrow
// keys and Enter to choose, Escape to close), Ctrl+Enter posts.

import { useId, useRef, useState } from 'react'

import { api } from '../../api/client'
import { keys, useApi } from '../../api/queries'
import { insertMention, matchPeople, mentionAt, mentionsIn } from '../../review/comments'

interface Chosen {
  userId: string
  name: string
}

export function Composer({
  reviewId,
  label,
  submitLabel,
  onPost,
  onCancel,
  autoFocus = false,
}: {
  reviewId: string
  label: string
  submitLabel: string
  /** Posts the text with the ids mentioned; resolves when stored (a failure is thrown). */
  onPost: (body: string, mentions: string[]) => Promise<void>
  onCancel?: () => void
  autoFocus?: boolean
}) {
  const id = useId()
  const members = useApi(keys.members(reviewId), () => api.members(reviewId)).data ?? []
  const people: Chosen[] = members.map((m) => ({ userId: m.user_id, name: m.name }))
  const [text, setText] = useState('')
  const [chosen, setChosen] = useState<Chosen[]>([])
  const [typing, setTyping] = useState<{ start: number; query: string } | null>(null)
  const [active, setActive] = useState(0)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState('')
  const box = useRef<HTMLTextAreaElement>(null)
  const offers = typing ? matchPeople(people, typing.query) : []
  const open = offers.length > 0

  const follow = (value: string, caret: number) => {
    setText(value)
    setTyping(mentionAt(value, caret))
    setActive(0)
  }
  const choose = (person: Chosen) => {
    if (!typing || !box.current) return
    const caret = box.current.selectionStart ?? text.length
    const next = insertMention(text, typing.start, caret, person.name)
    setText(next.text)
    setChosen((list) => (list.some((p) => p.userId === person.userId) ? list : [...list, person]))
    setTyping(null)
    requestAnimationFrame(() => {
      box.current?.focus()
      box.current?.setSelectionRange(next.caret, next.caret)
    })
  }
  const post = async () => {
    if (!text.trim() || busy) return
    setBusy(true)
    setFailure('')
    try {
      await onPost(text, mentionsIn(text, chosen))
      setText('')
      setChosen([])
      setTyping(null)
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="comment-composer"
      onSubmit={(e) => {
        e.preventDefault()
        void post()
      }}
    >
      <label htmlFor={`${id}-text`}>{label}</label>
      <p className="field-hint" id={`${id}-hint`}>
        Type @ to mention someone in the review. Ctrl+Enter posts.
      </p>
      <div className="mention-anchor">
        <textarea
          id={`${id}-text`}
          ref={box}
          rows={3}
          value={text}
          maxLength={4000}
          autoFocus={autoFocus}
          aria-describedby={`${id}-hint`}
          aria-autocomplete="list"
          aria-controls={open ? `${id}-people` : undefined}
          aria-activedescendant={open ? `${id}-person-${active}` : undefined}
          onChange={(e) => follow(e.target.value, e.target.selectionStart ?? e.target.value.length)}
          onKeyDown={(e) => {
            if (open && e.key === 'ArrowDown') {
              e.preventDefault()
              setActive((a) => (a + 1) % offers.length)
            } else if (open && e.key === 'ArrowUp') {
              e.preventDefault()
              setActive((a) => (a - 1 + offers.length) % offers.length)
            } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey) {
              e.preventDefault()
              choose(offers[active])
            } else if (open && e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              setTyping(null)
            } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault()
              void post()
            }
          }}
        />
        {open && (
          <ul className="mention-list" id={`${id}-people`} role="listbox" aria-label="People to mention">
            {offers.map((person, i) => (
              <li
                key={person.userId}
                id={`${id}-person-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault()
                  choose(person)
                }}
              >
                {person.name}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {open ? `${offers.length} ${offers.length === 1 ? 'person matches' : 'people match'}: up and down arrows to choose, Enter to mention` : ''}
      </p>
      {failure && (
        <p className="error-message" role="alert">
          {failure}
        </p>
      )}
      <div className="comment-composer-actions">
        <button type="submit" className="button" disabled={busy || !text.trim()}>
          {busy ? 'Posting…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="link-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}
