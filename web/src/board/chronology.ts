// Agencies' chronologies on the board: entries (kept by the server, beside the board)
// become key practice episodes, or evidence for one. An episode keeps the ids of its
// entries in `chronology`, a Y.Map used as a set (docs/board-schema.md), so two people
// adding entries at once both keep theirs; each entry shows the episodes that use it.

import * as Y from 'yjs'

import { formatDate } from './dates'
import { addEpisode, board, ordered, referenceOf, textOf, type Entity } from './schema'

/** What the board needs of an entry (the API's EntryView). */
export interface ChronologyEntryLike {
  id: string
  date: string
  approximate: boolean
  time: string
  agency: string
  role: string
  event: string
  source: string
}

/** The entry's date and time as the board shows them: "2 Jul 2025 14:30", "about Jul 2025". */
export function entryWhen(entry: Pick<ChronologyEntryLike, 'date' | 'approximate' | 'time'>): string {
  const date = formatDate(entry.date)
  return `${entry.approximate ? 'about ' : ''}${date}${entry.time ? ` ${entry.time}` : ''}`
}

/** One line of an episode's "what happened" for an entry. */
export function entryLine(entry: ChronologyEntryLike): string {
  const who = entry.role ? `${entry.agency} (${entry.role})` : entry.agency
  return `${entryWhen(entry)}, ${who}: ${entry.event}`
}

/** A short title from an event: its first sentence, at most 80 characters. */
export function titleFrom(event: string): string {
  const first = event.split(/(?<=[.!?])\s|\n/)[0].trim()
  if (first.length <= 80) return first.replace(/[.]$/, '')
  const cut = first.slice(0, 79)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`
}

/** The episode a selection of entries makes: dated by them, naming their agencies. */
export function episodeFrom(entries: ChronologyEntryLike[]) {
  const sorted = [...entries].sort((a, b) => (a.date + a.time).localeCompare(b.date + b.time))
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  const sameDay = first.date === last.date
  const approximate = sorted.some((e) => e.approximate)
  return {
    title: titleFrom(first.event),
    dateKind: sameDay ? (approximate ? ('approximate' as const) : ('exact' as const)) : ('period' as const),
    dateStart: first.date,
    dateEnd: sameDay ? '' : last.date,
    agencies: [...new Set(sorted.map((e) => e.agency))],
    whatHappened: sorted.map(entryLine).join('\n'),
    chronology: sorted.map((e) => e.id),
  }
}

/** Makes a key practice episode of the entries (a candidate, at the end); its id. */
export function makeEpisode(doc: Y.Doc, entries: ChronologyEntryLike[], origin?: unknown): string {
  return addEpisode(doc, episodeFrom(entries), { origin })
}

/**
 * Adds entries to an episode as evidence: their ids to its set, their lines to its
 * evidence notes (after what is there).
 */
export function addToEpisode(doc: Y.Doc, episodeId: string, entries: ChronologyEntryLike[], origin?: unknown): void {
  const episode = board(doc).episodes.get(episodeId)
  if (!episode) return
  doc.transact(() => {
    let set = episode.get('chronology')
    if (!(set instanceof Y.Map)) {
      set = new Y.Map<boolean>()
      episode.set('chronology', set)
    }
    const ids = set as Y.Map<boolean>
    const fresh = entries.filter((e) => !ids.has(e.id))
    for (const entry of fresh) ids.set(entry.id, true)
    const evidence = episode.get('evidence')
    if (evidence instanceof Y.Text && fresh.length > 0) {
      const lines = fresh.map(entryLine).join('\n')
      evidence.insert(evidence.length, evidence.length > 0 ? `\n${lines}` : lines)
    }
  }, origin)
}

/** The entries an episode keeps. */
export function entriesOf(episode: Entity): string[] {
  const set = episode.get('chronology')
  return set instanceof Y.Map ? [...set.keys()] : []
}

/** An episode as an entry names it. */
export interface EpisodeUse {
  id: string
  reference: string
  title: string
}

/** For each entry id, the episodes that use it, in the table's order. */
export function episodesUsing(doc: Y.Doc): Map<string, EpisodeUse[]> {
  const uses = new Map<string, EpisodeUse[]>()
  for (const [id, episode] of ordered(board(doc).episodes)) {
    const use: EpisodeUse = { id, reference: referenceOf(episode), title: textOf(episode, 'title')?.toString() ?? '' }
    for (const entry of entriesOf(episode)) uses.set(entry, [...(uses.get(entry) ?? []), use])
  }
  return uses
}

/** What the merged list is narrowed to: agencies (none: all), a period (ISO, inclusive), words. */
export interface EntryFilter {
  agencies: string[]
  from: string
  to: string
  text: string
}

/** The entries that match the filter, in their order. A partial date matches any period it overlaps. */
export function filterEntries<E extends ChronologyEntryLike>(entries: E[], filter: EntryFilter): E[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean)
  const agencies = new Set(filter.agencies)
  return entries.filter((e) => {
    if (agencies.size > 0 && !agencies.has(e.agency)) return false
    // "2025-07" lies within a period ending "2025-07-15" and one starting "2025-07-20".
    if (filter.from && e.date < filter.from.slice(0, e.date.length)) return false
    if (filter.to && e.date.slice(0, filter.to.length) > filter.to) return false
    if (words.length === 0) return true
    const text = `${e.event} ${e.role} ${e.source} ${e.agency}`.toLowerCase()
    return words.every((w) => text.includes(w))
  })
}

/** An ISO date of any precision as the time it starts (UTC ms). */
export function dateStartMs(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number)
  return Date.UTC(y, (m || 1) - 1, d || 1)
}

/** The time an entry is placed at on the timeline (UTC ms). */
export function entryMs(entry: Pick<ChronologyEntryLike, 'date' | 'time'>): number {
  const [h, m] = entry.time ? entry.time.split(':').map(Number) : [0, 0]
  return dateStartMs(entry.date) + (h * 60 + m) * 60_000
}
