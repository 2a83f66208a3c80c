// Re-render a component when any of the given Yjs types (or anything inside them)
// changes. Components read the document directly; there is no second copy of shared
// state in React.

import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type, whatever it holds
export function useY(...types: (Y.AbstractType<any> | undefined)[]): number {
  const version = useRef(0)
  const subscribe = useCallback(
    (onChange: () => void) => {
      const handler = () => {
        version.current += 1
        onChange()
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
      const present = types.filter((t): t is Y.AbstractType<any> => t !== undefined)
      for (const t of present) t.observeDeep(handler)
      return () => {
        for (const t of present) t.unobserveDeep(handler)
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the types themselves are the dependencies
    types,
  )
  return useSyncExternalStore(subscribe, () => version.current)
}
