// Undo and redo of this person's own changes on one screen. Remote changes are never
// undone: the manager tracks only the LOCAL origin. Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y are
// taken over from the browser (whose textarea undo knows nothing of shared text).

import { useEffect, useMemo, useState } from 'react'
import * as Y from 'yjs'

import { LOCAL } from '../sync/connection'

const destroyed = new WeakSet<Y.UndoManager>()

export interface Undo {
  undo: () => void
  redo: () => void
  canUndo: boolean
  canRedo: boolean
  /** Starts a new undo step (call when focus moves to another field). */
  stopCapturing: () => void
  onKeyDown: (e: React.KeyboardEvent) => void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type, whatever it holds
export function useUndo(scope: Y.AbstractType<any>[]): Undo {
  // A new manager when the one made for this scope was destroyed while the screen stays:
  // React's development checks unmount and remount every effect once.
  const [generation, setGeneration] = useState(0)
  const manager = useMemo(
    () => new Y.UndoManager(scope, { trackedOrigins: new Set([LOCAL]), captureTimeout: 600 }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the scope's types themselves are the dependencies
    [...scope, generation],
  )
  const [, setVersion] = useState(0)
  useEffect(() => {
    if (destroyed.has(manager)) {
      setGeneration((g) => g + 1)
      return
    }
    const bump = () => setVersion((v) => v + 1)
    manager.on('stack-item-added', bump)
    manager.on('stack-item-popped', bump)
    manager.on('stack-cleared', bump)
    return () => {
      destroyed.add(manager)
      manager.destroy()
    }
  }, [manager])
  const undo = () => void manager.undo()
  const redo = () => void manager.redo()
  return {
    undo,
    redo,
    canUndo: manager.canUndo(),
    canRedo: manager.canRedo(),
    stopCapturing: () => manager.stopCapturing(),
    onKeyDown: (e) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return
      const key = e.key.toLowerCase()
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault()
        undo()
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault()
        redo()
      }
    },
  }
}
