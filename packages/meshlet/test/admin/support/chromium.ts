import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'undici'
import { waitFor } from './free-port.js'

export const CHROMIUM_BINARY = '/usr/bin/chromium'

/** Flags for a quiet, sandbox-free headless run that talks to nothing but the page it is given. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0',
]

export interface Viewport {
  readonly width: number
  readonly height: number
  readonly mobile: boolean
  readonly deviceScaleFactor?: number
}

export interface Page {
  setViewport(viewport: Viewport): Promise<void>
  navigate(url: string): Promise<void>
  /** Evaluates a JavaScript expression in the page; its value returned as JSON. */
  evaluate<T>(expression: string): Promise<T>
  /** Polls an expression until it is truthy. */
  waitUntil(expression: string, what: string, timeoutMs?: number): Promise<void>
  /** A PNG of the whole page (beyond the viewport). */
  screenshot(): Promise<Buffer>
}

export interface Browser {
  readonly page: Page
  /** Stops Chromium by its PID and removes its profile directory. */
  close(): Promise<void>
}

/**
 * Starts Debian's Chromium headless with a fresh profile and drives its one tab over the Chrome
 * DevTools protocol (the --remote-debugging-port websocket). Fails with the fix when the binary
 * is missing (scripts/system-packages.sh installs it; `pnpm test` runs that script first).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_BINARY)) {
    throw new Error(`${CHROMIUM_BINARY} not found: install Debian's chromium package with \`bash scripts/system-packages.sh chromium\` (pnpm test runs it)`)
  }
  const profile = await mkdtemp(join(tmpdir(), 'meshlet-chromium-'))
  const child = spawn(CHROMIUM_BINARY, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const close = async () => {
    await stop(child, exited)
    await rm(profile, { recursive: true, force: true })
  }
  try {
    const browserUrl = await waitFor('Chromium to print its DevTools address', async () => {
      if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode}: ${stderr.slice(-2_000)}`)
      return /DevTools listening on (ws:\/\/\S+)/.exec(stderr)?.[1]
    }, 30_000)
    const { host } = new URL(browserUrl)
    const pageUrl = await waitFor('a page target', async () => {
      const targets = (await (await fetch(`http://${host}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl?: string }>
      return targets.find((target) => target.type === 'page')?.webSocketDebuggerUrl
    }, 10_000)
    const session = await CdpSession.connect(pageUrl)
    await session.send('Page.enable')
    await session.send('Runtime.enable')
    return { page: pageOf(session), close: async () => (session.close(), close()) }
  } catch (error) {
    await close()
    throw error
  }
}

function pageOf(session: CdpSession): Page {
  const page: Page = {
    async setViewport(viewport) {
      await session.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: viewport.deviceScaleFactor ?? 1, mobile: viewport.mobile })
    },
    async navigate(url) {
      const loaded = session.once('Page.loadEventFired')
      await session.send('Page.navigate', { url })
      await loaded
    },
    async evaluate<T>(expression: string): Promise<T> {
      const result = (await session.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value?: unknown }
        exceptionDetails?: { text: string; exception?: { description?: string } }
      }
      if (result.exceptionDetails !== undefined) throw new Error(`page: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`)
      return result.result.value as T
    },
    async waitUntil(expression, what, timeoutMs = 15_000) {
      await waitFor(what, async () => ((await page.evaluate<unknown>(expression)) ? true : undefined), timeoutMs, 100)
    },
    async screenshot() {
      const metrics = (await session.send('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } }
      const { width, height } = metrics.cssContentSize
      const shot = (await session.send('Page.captureScreenshot', {
        format: 'png',
        captureBeyondViewport: true,
        clip: { x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), scale: 1 },
      })) as { data: string }
      return Buffer.from(shot.data, 'base64')
    },
  }
  return page
}

/** A minimal Chrome DevTools protocol client: commands by id, one-shot event waits. */
class CdpSession {
  #nextId = 1
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly #waiters = new Map<string, Array<(params: unknown) => void>>()

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.#receive(String(event.data)))
    socket.addEventListener('close', () => {
      for (const pending of this.#pending.values()) pending.reject(new Error('DevTools connection closed'))
      this.#pending.clear()
    })
  }

  static async connect(url: string): Promise<CdpSession> {
    const socket = new WebSocket(url)
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true })
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true })
    })
    return new CdpSession(socket)
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.socket.send(JSON.stringify({ id, method, params }))
    })
  }

  once(event: string): Promise<unknown> {
    return new Promise((resolve) => {
      const list = this.#waiters.get(event) ?? []
      list.push(resolve)
      this.#waiters.set(event, list)
    })
  }

  close(): void {
    this.socket.close()
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } }
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error !== undefined) pending?.reject(new Error(message.error.message))
      else pending?.resolve(message.result)
      return
    }
    if (message.method !== undefined) {
      const waiters = this.#waiters.get(message.method)
      this.#waiters.delete(message.method)
      for (const resolve of waiters ?? []) resolve(message.params)
    }
  }
}

/** SIGTERM by PID, SIGKILL if it has not exited within 5 s. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  process.kill(child.pid, 'SIGTERM')
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
