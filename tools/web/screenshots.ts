/// <reference lib="dom" />
/**
 * Screenshots of every page of the web app on the seed district, for the README:
 *
 *   npm run screenshots                       # starts npm start's app on a fresh database (DATABASE_URL, else embedded)
 *   WEB_URL=http://localhost:3000 npm run screenshots   # or against a running app (demo mode)
 *
 * Writes docs/screenshots/<page>.png at desktop width (1280 px, long pages cut at 2,400 px), and overview-phone.png at 360 px.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, startApp } from '../../apps/web-e2e/src/harness';

export const SHOTS: { name: string; key: string; path: string; ready: string }[] = [
  { name: 'sign-in', key: '', path: '/', ready: 'demo-keys' },
  { name: 'overview', key: 'demo-manager', path: '/?asOf=2022-11-30', ready: 'burn-up' },
  { name: 'overview-compare', key: 'demo-manager', path: '/?asOf=2022-11-30&compareAsOf=2022-06-30', ready: 'burn-up' },
  { name: 'tasks', key: 'demo-manager', path: '/nhiem-vu?asOf=2022-11-30', ready: 'task-board' },
  { name: 'task', key: 'demo-manager', path: '/nhiem-vu/NV-11?asOf=2022-11-30', ready: 'recorded-late' },
  { name: 'inspections', key: 'demo-manager', path: '/kiem-tra?asOf=2022-11-30', ready: 'inspection-kt-ct01-2022' },
  { name: 'recruitment', key: 'demo-manager', path: '/tuyen-dung?asOf=2022-12-31', ready: 'pipeline-vien-chuc-2022' },
  { name: 'legal', key: 'demo-manager', path: '/van-ban?asOf=2022-12-31', ready: 'legal-register' },
  { name: 'data-quality', key: 'demo-manager', path: '/chat-luong', ready: 'data-quality' },
  { name: 'history', key: 'demo-inspector', path: '/lich-su?streamId=task%3ANV-11', ready: 'timeline' },
  { name: 'changes', key: 'demo-inspector', path: '/thay-doi?asOf=2022-11-30', ready: 'diff-events' },
  { name: 'integrity', key: 'demo-inspector', path: '/toan-ven', ready: 'tree-head' },
  { name: 'activity', key: 'demo-inspector', path: '/nhat-ky', ready: 'activity' },
  { name: 'my-unit', key: 'demo-dept-phong-noi-vu', path: '/don-vi', ready: 'my-tasks-cchc-2022' },
  { name: 'admin-units', key: 'demo-admin', path: '/quan-tri/don-vi', ready: 'unit-list' },
  { name: 'admin-keys', key: 'demo-admin', path: '/quan-tri/khoa', ready: 'key-list' },
  { name: 'admin-views', key: 'demo-admin', path: '/quan-tri/che-do-xem', ready: 'view-row' },
];

/** A page signed in with `key` (stored as the sign-in page stores it), at `path`, once `ready` shows and the network is quiet. */
export const openAs = async (browser: Browser, url: string, key: string, path: string, ready: string, width = 1280): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  if (key) {
    await page.goto(`${url}/health`);
    await page.evaluate((k) => localStorage.setItem('reform-ledger.key', k), key);
  }
  await page.goto(`${url}${path}`);
  await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  return page;
};

const main = async () => {
  const running = process.env.WEB_URL ? null : await startApp();
  const url = process.env.WEB_URL ?? running!.url;
  const browser = await launchBrowser();
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  try {
    for (const shot of SHOTS) {
      const page = await openAs(browser, url, shot.key, shot.path, shot.ready);
      // Long pages (the board, the activity list) are cut at 2,400 px: the README shows their top.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: join(dir, `${shot.name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 2400) } });
      console.log(`docs/screenshots/${shot.name}.png`);
      await page.context().close();
    }
    const phone = await openAs(browser, url, 'demo-manager', '/?asOf=2022-11-30', 'burn-up', 360);
    await phone.screenshot({ path: join(dir, 'overview-phone.png'), fullPage: true });
    console.log('docs/screenshots/overview-phone.png');
  } finally {
    await browser.close();
    await running?.stop();
  }
};

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
