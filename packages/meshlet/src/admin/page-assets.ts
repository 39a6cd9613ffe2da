import { readFile } from 'node:fs/promises'

/** The admin page's files, shipped in the package (assets/admin), served as they are: no CDN, no framework. */
export interface PageAssets {
  readonly html: string
  readonly css: string
  readonly script: string
}

const ASSETS_DIR = new URL('../../assets/admin/', import.meta.url)

let loading: Promise<PageAssets> | undefined

/** Read once per process (src/ and dist/ sit at the same depth, so the path holds for both). */
export function loadPageAssets(): Promise<PageAssets> {
  loading ??= Promise.all(['index.html', 'admin.css', 'admin.js'].map((name) => readFile(new URL(name, ASSETS_DIR), 'utf8'))).then(([html, css, script]) => ({
    html: html!,
    css: css!,
    script: script!,
  }))
  return loading
}
