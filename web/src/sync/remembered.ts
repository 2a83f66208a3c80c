// What this device remembers so that a board opens without a connection: who was signed
// in, and the review details of each board they opened (title and role, nothing more).
// The board itself is in its local copy (y-indexeddb). Signing out forgets all of it.

import type { ReviewDetail, User } from '../api/client'

const PREFIX = 'board.remembered.'
const USER = `${PREFIX}user`
const reviewKey = (userId: string, reviewId: string) => `${PREFIX}review.${userId}.${reviewId}`

function read<T>(key: string): T | null {
  try {
    const text = localStorage.getItem(key)
    return text ? (JSON.parse(text) as T) : null
  } catch {
    return null
  }
}

function write(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage full or refused: the board still works online.
  }
}

export function rememberUser(user: User) {
  write(USER, user)
}

/** Who was signed in here last, for opening boards while the server cannot be reached. */
export function rememberedUser(): User | null {
  return read<User>(USER)
}

/** Keeps what the board screen needs of a review: its title, case reference and the person's access. */
export function rememberReview(userId: string, detail: ReviewDetail) {
  const review = { ...detail.review, questions: '', terms_of_reference: '' }
  const board = detail.documents.filter((d) => d.name === 'board')
  write(reviewKey(userId, review.id), { review, role: detail.role, documents: board })
}

export function rememberedReview(userId: string, reviewId: string): ReviewDetail | null {
  return read<ReviewDetail>(reviewKey(userId, reviewId))
}

export function forgetReview(userId: string, reviewId: string) {
  try {
    localStorage.removeItem(reviewKey(userId, reviewId))
  } catch {
    // Nothing to forget.
  }
}

/** Forgets everything remembered on this device (at sign-out). */
export function forgetRemembered() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key)
  } catch {
    // Nothing to forget.
  }
}
