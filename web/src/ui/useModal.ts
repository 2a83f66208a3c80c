// A <dialog> opened as a modal while its component is mounted: focus goes to its heading,
// and back to whatever opened it when it closes.

import { useEffect, useRef } from 'react'

export function useModal() {
  const ref = useRef<HTMLDialogElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    // Remembered to give focus back to whatever opened the dialog.
    const opener = document.activeElement as HTMLElement | null
    if (!dialog.open) dialog.showModal()
    heading.current?.focus()
    return () => {
      if (dialog.open) dialog.close()
      opener?.focus?.()
    }
  }, [])
  return { ref, heading }
}
