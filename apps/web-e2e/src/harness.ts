import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { freePort } from '@reform-ledger/ledger';
import { testEngines, TestDatabase } from '@reform-ledger/ledger/testing';

export const ROOT = join(__dirname, '..', '..', '..');

/** Debian's Chromium (playwright's own download cannot be fetched here), with flags that work as root in a container. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

export type Running = { url: string; output: () => string; stop: () => Promise<void> };

/**
 * The app as `npm start` runs it (main.ts in its own process: it builds the web app if stale, loads the
 * seed district on a fresh database), on the first test engine; resolves once /health says ok.
 */
export const startApp = async (): Promise<Running> => {
  const engine = testEngines()[0];
  const db: TestDatabase = await engine.setup();
  const port = await freePort();
  // Its own signing key, as its own database: the default key file (keys/ beside ./data) keeps the largest
  // head it signed, and a later run's fresh database would verify as one with events removed.
  const keys = mkdtempSync(join(tmpdir(), 'rl-web-e2e-keys-'));
  let output = '';
  const server: ChildProcess = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, DATABASE_URL: db.url, DEMO_KEYS: 'true', PORT: String(port), LOG_LEVEL: 'warn', PROJECTOR: '',
      LEDGER_SIGNING_KEY: join(keys, 'ledger-signing-key.pem'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await db.teardown();
    rmSync(keys, { recursive: true, force: true });
  };
  for (const until = Date.now() + 150_000; ;) {
    const health = await fetch(`${url}/health`).catch(() => undefined);
    if (health?.status === 200) break;
    if (server.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`the app did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, output: () => output, stop };
};

/**
 * One headless Chromium for a test file; each role gets its own context (its own storage). Playwright
 * gives every launch a fresh --user-data-dir of its own (it refuses one passed in args) and removes it on close.
 */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });

/** A fresh context signed in with `key` (as a user pastes it), on `path`. */
export const signedIn = async (browser: Browser, url: string, key: string, path = '/'): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.getByTestId('key-input').fill(key);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByTestId('who').waitFor();
  return { context, page };
};

/** The text of a test id, once it matches. */
export const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().innerText()).replace(/\s+/g, ' ').trim();

/**
 * fetch, once more if the server had closed the idle keep-alive socket undici reused ("other side
 * closed": Node's server drops idle connections after 5 s; a request on one already dying fails).
 */
export const call = async (url: string, init?: RequestInit): Promise<Response> => {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).message !== 'fetch failed') throw error;
    return fetch(url, init);
  }
};
