// Comments on board items, as the screens show them: threads (a first comment and its
// replies), what is new to the person, and @mentions typed into a comment.

import type { Comment } from '../api/client'

export interface Thread {
  first: Comment
  replies: Comment[]
  resolved: boolean
  /** Comments in it new to the person. */
  fresh: number
  /** The person is linked to it (wrote in it, is mentioned, changed the item). */
  forYou: boolean
  /** When its latest comment was written. */
  lastAt: number
}

/** The threads of `comments` (oldest first), optionally of one item only. */
export function threadsOf(comments: readonly Comment[], item?: { kind: string; id: string }): Thread[] {
  const threads = new Map<string, Thread>()
  for (const c of comments) {
    if (item && (c.itemKind !== item.kind || c.itemId !== item.id)) continue
    if (c.id === c.threadId) {
      threads.set(c.id, { first: c, replies: [], resolved: c.resolvedAt != null, fresh: 0, forYou: c.forYou, lastAt: c.createdAt })
    }
  }
  for (const c of comments) {
    const thread = threads.get(c.threadId)
    if (!thread) continue
    if (c.id !== c.threadId) thread.replies.push(c)
    if (c.new) thread.fresh += 1
    thread.forYou ||= c.forYou
    thread.lastAt = Math.max(thread.lastAt, c.createdAt)
  }
  return [...threads.values()]
}

/** How many open threads an item has (a deleted thread with no replies is not one). */
export function openCount(comments: readonly Comment[], kind: string, id: string): number {
  return threadsOf(comments, { kind, id }).filter((t) => !t.resolved && !(t.first.deleted && t.replies.every((r) => r.deleted))).length
}

/** The item a comment is on, as the board names it: "episode E7 “Home visit”". */
export function itemName(c: Pick<Comment, 'itemKind' | 'itemRef' | 'itemLabel' | 'onBoard'>): string {
  if (!c.onBoard) return `${c.itemKind === 'episode' ? 'an' : 'a'} ${c.itemKind} no longer on the board`
  if (c.itemKind === 'link') return 'a link on the factor map'
  const ref = c.itemRef ? ` ${c.itemRef}` : ''
  return c.itemLabel ? `${c.itemKind}${ref} “${c.itemLabel}”` : `${c.itemKind}${ref}`
}

/** The @word being typed at `caret`, if any: where its '@' is and what follows it. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at < 0) return null
  // An '@' starts a mention at the start of the text or after a space or bracket (so
  // an email address does not).
  if (at > 0 && !/[\s([]/.test(before[at - 1])) return null
  const query = before.slice(at + 1)
  if (query.length > 40 || /[\n@]/.test(query) || /\s\s/.test(query)) return null
  return { start: at, query }
}

/** People whose name matches what follows the '@' (any word of the name starting with it). */
export function matchPeople<P extends { name: string }>(people: readonly P[], query: string, most = 6): P[] {
  const q = query.trim().toLowerCase()
  return people
    .filter((p) => !q || p.name.toLowerCase().startsWith(q) || p.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)))
    .slice(0, most)
}

/** The text with the mention being typed replaced by "@Name ", and where the caret goes. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length }
}

/** The ids of the people chosen while typing whose "@Name" is still in the text. */
export function mentionsIn(text: string, chosen: readonly { userId: string; name: string }[]): string[] {
  const ids: string[] = []
  for (const p of chosen) if (text.includes(`@${p.name}`) && !ids.includes(p.userId)) ids.push(p.userId)
  return ids
}

/** A comment's text in runs, the "@Name" of each person it mentions marked. */
export function bodyRuns(body: string, mentions: readonly { name: string }[]): { text: string; mention: boolean }[] {
  const names = mentions.map((m) => `@${m.name}`).filter((n) => n.length > 1)
  if (names.length === 0) return body ? [{ text: body, mention: false }] : []
  const escaped = names.sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const runs: { text: string; mention: boolean }[] = []
  for (const part of body.split(new RegExp(`(${escaped.join('|')})`))) {
    if (part) runs.push({ text: part, mention: names.includes(part) })
  }
  return runs
}
