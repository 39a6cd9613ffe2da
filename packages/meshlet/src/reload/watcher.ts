import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'

export interface FileWatcher {
  close(): void
}

/**
 * Calls `onChange` once after a burst of changes to the given files or folders settles for
 * `debounceMs` (real time: file events come from the outside world, not from the mesh clock).
 * A folder is watched recursively; a file is watched through its folder, so an editor that
 * replaces the file by renaming a new one over it is still seen.
 */
export async function watchFiles(paths: readonly string[], debounceMs: number, onChange: () => void): Promise<FileWatcher> {
  const watchers: FSWatcher[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  const changed = () => {
    if (closed) return
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      if (!closed) onChange()
    }, debounceMs)
    timer.unref()
  }
  const filesByFolder = new Map<string, Set<string>>()
  for (const path of paths.map((p) => resolve(p))) {
    const info = await stat(path).catch(() => undefined)
    if (info?.isDirectory()) {
      watchers.push(watch(path, { recursive: true, persistent: false }, changed))
    } else {
      const folder = dirname(path)
      const names = filesByFolder.get(folder) ?? new Set()
      names.add(basename(path))
      filesByFolder.set(folder, names)
    }
  }
  for (const [folder, names] of filesByFolder) {
    const watcher = await Promise.resolve()
      .then(() => watch(folder, { persistent: false }, (_event, name) => (name === null || names.has(String(name)) ? changed() : undefined)))
      .catch(() => undefined)
    if (watcher) watchers.push(watcher)
  }
  for (const watcher of watchers) watcher.on('error', () => undefined)
  return {
    close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
