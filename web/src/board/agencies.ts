// The agencies a review keeps: chosen from a standard list of the kinds of agency that
// take part in reviews in England, plus the review's own. Episodes pick from the list
// instead of typing names, so "Health visiting" and "health visiting" never split a
// filter: whatever is typed is matched to the list ignoring case, spaces and
// punctuation, and only a new agency is added to it.

import * as Y from 'yjs'

import { board, type Entity } from './schema'

/** Kinds of agency in England's multi-agency safeguarding reviews, to choose from. */
export const STANDARD_AGENCIES: readonly string[] = [
  'Children’s social care',
  'Adult social care',
  'Multi-agency safeguarding hub (MASH)',
  'Police',
  'Health visiting',
  'School nursing',
  'Midwifery',
  'General practice (GP)',
  'Emergency department',
  'Acute hospital',
  'Community paediatrics',
  'Child and adolescent mental health services (CAMHS)',
  'Adult mental health services',
  'Drug and alcohol services',
  'Ambulance service',
  'Early years and childcare',
  'School',
  'Further education',
  'Family hub or children’s centre',
  'Youth justice service',
  'Probation',
  'Housing',
  'Domestic abuse service',
  'Cafcass',
  'Local authority designated officer (LADO)',
  'Voluntary and community sector',
]

/** What two names are compared by: letters and digits only, in lower case. */
export function agencyKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The review's agencies, in alphabetical order: its list and any an episode already names. */
export function reviewAgencies(doc: Y.Doc): string[] {
  const roots = board(doc)
  const names = new Map<string, string>()
  for (const name of roots.agencies.keys()) names.set(agencyKey(name), name)
  for (const episode of roots.episodes.values()) {
    const set = episode.get('agencies')
    if (!(set instanceof Y.Map)) continue
    for (const name of set.keys()) if (!names.has(agencyKey(name))) names.set(agencyKey(name), name)
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b, 'en-GB'))
}

/**
 * The name the review uses for `typed`: one already on its list (whatever the case or
 * spacing), else one from the standard list, else `typed` tidied; added to the list.
 */
export function addReviewAgency(doc: Y.Doc, typed: string, origin?: unknown): string {
  const key = agencyKey(typed)
  if (!key) return ''
  const known = [...reviewAgencies(doc), ...STANDARD_AGENCIES].find((name) => agencyKey(name) === key)
  const name = known ?? typed.trim().replace(/\s+/g, ' ')
  const { agencies } = board(doc)
  if (!agencies.has(name)) doc.transact(() => agencies.set(name, true), origin)
  return name
}

/** Names `agency` on `episode`, or stops naming it. */
export function toggleAgency(episode: Entity, agency: string, on: boolean, origin?: unknown): void {
  const doc = episode.doc
  if (!doc) return
  doc.transact(() => {
    // A finding from before findings had agencies gets its set on first use.
    let set = episode.get('agencies')
    if (!(set instanceof Y.Map)) {
      set = new Y.Map<boolean>()
      episode.set('agencies', set)
    }
    if (!(set instanceof Y.Map)) return
    // Any spelling of the same agency goes with it.
    for (const name of [...set.keys()]) if (agencyKey(name) === agencyKey(agency) && name !== agency) set.delete(name)
    if (on) set.set(agency, true)
    else set.delete(agency)
  }, origin)
}
