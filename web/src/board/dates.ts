// Dates as people in England write them, for an episode's "when": "02/07/2025",
// "2 Jul 2025", "July 2025", "2025", "about March 2024", and periods ("2–9 Jul 2025",
// "Jul to Sep 2025", "02/07/2025 - 09/08/2025"). Stored as ISO 8601 with their
// precision (2025-07-02, 2025-07, 2025), an approximate date or a period as the
// episode's date kind (docs/board-schema.md); shown as "2 Jul 2025".

export type DateKind = 'exact' | 'approximate' | 'period'

export interface When {
  kind: DateKind
  /** ISO: "2025-07-02", "2025-07" or "2025"; "" when unknown. */
  start: string
  /** The end of a period, ISO; "" otherwise. */
  end: string
}

export type Parsed = { ok: true; when: When } | { ok: false; message: string }

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A date with what is known of it: year, month (1–12) and day, or fewer. */
interface Partial {
  year?: number
  month?: number
  day?: number
}

const pad = (n: number) => String(n).padStart(2, '0')
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

function monthOf(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, '')
  if (w.length < 3) return undefined
  const i = MONTHS.findIndex((m) => m.startsWith(w) && (w.length >= 3 || m === w))
  // "sept" is written too.
  return i >= 0 ? i + 1 : w === 'sept' ? 9 : undefined
}

function yearOf(text: string): number | undefined {
  if (/^\d{4}$/.test(text)) return Number(text)
  if (/^\d{2}$/.test(text)) {
    // Two digits: this century unless that is more than a year ahead.
    const now = new Date().getUTCFullYear()
    const y = 2000 + Number(text)
    return y > now + 1 ? y - 100 : y
  }
  return undefined
}

/** One date, as much of it as is written; undefined when it is not one of the forms. */
function readOne(text: string): Partial | undefined {
  const t = text.trim().replace(/\s+/g, ' ').replace(/,/g, '')
  let m: RegExpExecArray | null
  // ISO: 2025-07-02, 2025-07, 2025.
  if ((m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(t))) {
    return { year: Number(m[1]), month: m[2] ? Number(m[2]) : undefined, day: m[3] ? Number(m[3]) : undefined }
  }
  // Day first, as in England: 02/07/2025, 2-7-25, 2.7.2025; and 07/2025.
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t))) {
    const year = yearOf(m[3])
    return year === undefined ? undefined : { day: Number(m[1]), month: Number(m[2]), year }
  }
  if ((m = /^(\d{1,2})[/.-](\d{4})$/.exec(t))) return { month: Number(m[1]), year: Number(m[2]) }
  // Words: 2 Jul 2025, 2nd July 2025, July 2025, 2 July (the year from a period's end).
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z.]+)(?: (\d{4}|\d{2}))?$/i.exec(t))) {
    const month = monthOf(m[2])
    const year = m[3] ? yearOf(m[3]) : undefined
    return month === undefined ? undefined : { day: Number(m[1]), month, year }
  }
  if ((m = /^([a-z.]+)(?: (\d{4}|\d{2}))?$/i.exec(t))) {
    const month = monthOf(m[1])
    const year = m[2] ? yearOf(m[2]) : undefined
    return month === undefined ? undefined : { month, year }
  }
  // A day alone, at the start of a period: "2–9 Jul 2025".
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?$/.exec(t))) return { day: Number(m[1]) }
  return undefined
}

function spelled(p: Partial): string {
  return [p.day, p.month ? SHORT[p.month - 1] : undefined, p.year].filter((x) => x !== undefined).join(' ')
}

/** The ISO form of a complete enough date, or a message saying what is wrong. */
function iso(p: Partial, written: string): { ok: true; value: string } | { ok: false; message: string } {
  if (p.year === undefined) return { ok: false, message: `“${written}” has no year: add one, as in “${spelled({ ...p, year: 2025 })}”.` }
  if (p.year < 1900 || p.year > 2100) return { ok: false, message: `${p.year} is not a year this review covers.` }
  if (p.month === undefined) {
    return p.day === undefined ? { ok: true, value: String(p.year) } : { ok: false, message: `“${written}” has a day but no month.` }
  }
  if (p.month < 1 || p.month > 12) return { ok: false, message: `There is no month ${p.month}: write the day first, as in 02/07/2025 for 2 July 2025.` }
  if (p.day === undefined) return { ok: true, value: `${p.year}-${pad(p.month)}` }
  const days = daysIn(p.year, p.month)
  if (p.day < 1 || p.day > days) {
    return { ok: false, message: `“${written}” is not a date: ${MONTHS[p.month - 1].replace(/^./, (c) => c.toUpperCase())} ${p.year} has ${days} days.` }
  }
  return { ok: true, value: `${p.year}-${pad(p.month)}-${pad(p.day)}` }
}

const APPROXIMATE = /^(?:about|around|approx\.?|approximately|circa|c\.|roughly|~)\s*/i
const RANGE = /\s*(?:–|—|\bto\b|\buntil\b|\band\b|\s-\s|-(?=\s*[a-z]))\s*/i

/** Reads what someone typed as an episode's "when". */
export function parseWhen(input: string): Parsed {
  let text = input.trim().replace(/\s+/g, ' ')
  if (text === '') return { ok: true, when: { kind: 'exact', start: '', end: '' } }
  const approximate = APPROXIMATE.test(text)
  text = text.replace(APPROXIMATE, '').replace(/^(?:between|from)\s+/i, '')
  const unknown: Parsed = {
    ok: false,
    message: `“${input.trim()}” is not a date this board reads. Write it as 02/07/2025, 2 Jul 2025, July 2025 or 2025; “about” before it for an approximate date; a period as 2–9 Jul 2025.`,
  }
  // A period: two dates; the first may borrow its month and year from the second.
  const parts = text.split(RANGE)
  if (parts.length === 2 && parts[0] && parts[1]) {
    const last = readOne(parts[1])
    let first = readOne(parts[0])
    if (!first || !last) return unknown
    if (first.year === undefined && last.year !== undefined) {
      const ownMonth = first.month !== undefined
      first = { ...first, year: last.year, month: first.month ?? (first.day !== undefined ? last.month : undefined) }
      // "28 Dec – 3 Jan 2025" starts in the year before.
      const a = iso(first, parts[0])
      const b = iso(last, parts[1])
      if (ownMonth && a.ok && b.ok && a.value > b.value) first = { ...first, year: last.year - 1 }
    }
    const a = iso(first, parts[0])
    if (!a.ok) return a
    const b = iso(last, parts[1])
    if (!b.ok) return b
    if (a.value > b.value && !b.value.startsWith(a.value)) {
      return { ok: false, message: `The period ends (${formatDate(b.value)}) before it starts (${formatDate(a.value)}).` }
    }
    return { ok: true, when: { kind: 'period', start: a.value, end: b.value } }
  }
  const one = readOne(text)
  if (!one) return unknown
  const date = iso(one, text)
  if (!date.ok) return date
  return { ok: true, when: { kind: approximate ? 'approximate' : 'exact', start: date.value, end: '' } }
}

/** "2025-07-02" → "2 Jul 2025"; "2025-07" → "Jul 2025"; "2025" → "2025"; anything else unchanged. */
export function formatDate(value: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim())
  if (!m) return value
  if (!m[2]) return m[1]
  const month = SHORT[Number(m[2]) - 1]
  if (!month) return value
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`
}

/** An episode's "when" as the board shows it, and as it may be typed back in. */
export function formatWhen(kind: string, start: string, end: string): string {
  if (!start) return ''
  if (kind === 'period') return `${formatDate(start)} – ${end ? formatDate(end) : 'ongoing'}`
  if (kind === 'approximate') return `About ${formatDate(start)}`
  return formatDate(start)
}

/** A key that sorts episodes by when they happened (unknown dates last). */
export function whenSortKey(start: string): string {
  return start ? start.padEnd(10, ' ') : '\uffff'
}
