// Restricted notes in words: who may open them, and the outline suggested for the notes
// of an individual conversation.

import type { AuditEvent, DocumentView, Member } from '../api/client'

/** `notes/<slug>` → `<slug>`. */
export function slugOfName(name: string): string {
  return name.replace(/^notes\//, '')
}

/** `<slug>` → `notes/<slug>`, the document's name in its review. */
export const notesName = (slug: string) => `notes/${slug}`

/** "Sam Jones", "Sam Jones and Ana Patel", "Sam Jones, Ana Patel and Jo Okafor". */
export function namesList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * The participants' names, in alphabetical order. Ids of people no longer in the review
 * are counted in `missing`.
 */
export function participantNames(ids: readonly string[], members: readonly Member[]): { names: string[]; missing: number } {
  const wanted = new Set(ids)
  const names = members
    .filter((m) => wanted.has(m.user_id))
    .map((m) => m.name)
    .sort((a, b) => a.localeCompare(b))
  const missing = [...wanted].filter((id) => !members.some((m) => m.user_id === id)).length
  return { names, missing }
}

/** Who, in words: "Sam Jones, Ana Patel and the lead reviewers". Null: the names are not known here. */
export function whoMayOpen(names: readonly string[] | null): string {
  if (names === null) return 'the people the lead reviewers chose, and the lead reviewers,'
  if (names.length === 0) return 'the lead reviewers'
  return namesList([...names, 'the lead reviewers'])
}

/** "Restricted: only Sam Jones and the lead reviewers can open these notes." */
export function restrictedSentence(names: readonly string[] | null): string {
  return `Restricted: only ${whoMayOpen(names)} can open these notes.`
}

/**
 * The headings of a Learning Together individual conversation (Appendix 3), offered as
 * an outline for empty notes.
 */
export const CONVERSATION_OUTLINE: readonly string[] = [
  'Introduction',
  'Overview of involvement',
  'Turning points',
  'Local rationality',
  'Contributory factors',
  'What went well',
  'Overview queries',
  'Suggested changes',
]

/**
 * The outline as plain text: each heading on its own line, with a line to write on and
 * a blank line before the next heading.
 */
export function outlineText(headings: readonly string[] = CONVERSATION_OUTLINE): string {
  return headings.map((h) => `${h}\n\n`).join('\n')
}

/**
 * Who may open the notes after an edit: the people chosen among those who are not lead
 * reviewers, and any lead already named (leads open every note anyway, so they are not
 * offered). People no longer in the review are dropped: the server refuses them.
 */
export function participantsToSave(current: readonly string[], chosen: ReadonlySet<string>, members: readonly Member[]): string[] {
  const inReview = new Set(members.map((m) => m.user_id))
  const leads = new Set(members.filter((m) => m.role === 'lead_reviewer').map((m) => m.user_id))
  const kept = current.filter((id) => leads.has(id))
  return [...new Set([...kept, ...chosen])].filter((id) => inReview.has(id))
}

/**
 * An audit event of a lead changing who may open notes (its detail lists user ids) in
 * words: "changed who can open “GP conversation”: Ana Patel, Sam Jones and the lead reviewers".
 */
export function participantsChangeText(
  event: Pick<AuditEvent, 'entity' | 'detail'>,
  members: readonly Member[],
  documents: readonly Pick<DocumentView, 'name' | 'title'>[],
): string {
  const ids = event.detail
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  const { names, missing } = participantNames(ids, members)
  const others = missing === 0 ? [] : [missing === 1 ? 'one person no longer in the review' : `${missing} people no longer in the review`]
  const title = documents.find((d) => d.name === event.entity)?.title ?? event.entity
  return `changed who can open “${title}”: ${whoMayOpen([...names, ...others])}`
}
