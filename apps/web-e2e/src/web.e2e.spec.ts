import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, ROOT, Running, signedIn, startApp, textOf } from './harness';

/** The web app in a real Chromium against npm start's app on the seed district (Đắk Song 2022). */
describe('the web app on the seed district', () => {
  let app: Running;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  }, 60_000);

  it('is served by the API at /, every page path answered with the app, the API and its docs where they were', async () => {
    for (const path of ['/', '/nhiem-vu/T-01?asOf=2022-06-30']) {
      const page = await fetch(`${app.url}${path}`, { headers: { Accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    const missing = await fetch(`${app.url}/api/v1/nope`, { headers: { Accept: 'text/html,*/*' } });
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, expect.stringContaining('application/problem+json')]);
    expect((await fetch(`${app.url}/docs-json`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });

  it('has API types that match the API (apps/web/src/api/schema.d.ts is /docs-json through openapi-typescript)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-api-types-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), await (await fetch(`${app.url}/docs-json`)).text());
      execFileSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts')], { stdio: 'ignore' });
      const committed = readFileSync(join(ROOT, 'apps/web/src/api/schema.d.ts'), 'utf8');
      // If this fails: with the app running, `npm run web:api-types` regenerates the file.
      expect(readFileSync(join(dir, 'schema.d.ts'), 'utf8')).toBe(committed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs a manager in with a demo key from the list and shows the overview at 30/11/2022: 55/55 done, 49 on time', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    await page.goto(`${app.url}/?asOf=2022-11-30`);
    await page.locator('[data-key="demo-manager"]').click();
    await page.getByTestId('who').filter({ hasText: 'Lãnh đạo' }).waitFor();
    const plan = page.getByTestId('plan-cchc-2022');
    await plan.getByTestId('kpi-completed').filter({ hasText: '55/55' }).waitFor();
    expect(await textOf(page, 'kpi-on-time')).toContain('49/55');
    expect(await textOf(page, 'kpi-on-time')).toContain('89,1 %');
    expect(await textOf(page, 'past-banner')).toContain('30/11/2022');
    await page.getByTestId('burn-up').and(page.locator('[data-drawn="true"]')).waitFor();
    await context.close();
  }, 60_000);

  it('changes the numbers and the URL with the time bar, and the URL restores them on reload', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', '/?asOf=2022-11-30');
    await page.getByTestId('kpi-completed').filter({ hasText: '55/55' }).waitFor();
    await page.getByRole('button', { name: '30/06' }).first().click();
    await page.getByTestId('kpi-completed').filter({ hasText: '28/55' }).waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2022-06-30');
    await page.reload();
    await page.getByTestId('kpi-completed').filter({ hasText: '28/55' }).waitFor();
    expect(await page.getByTestId('asOf').inputValue()).toBe('30/06/2022');

    // Typed as dd/mm/yyyy.
    await page.getByTestId('asOf').fill('30/11/2022');
    await page.getByTestId('asOf').press('Enter');
    await page.getByTestId('kpi-completed').filter({ hasText: '55/55' }).waitFor();

    // What the ledger held at the end of phase 1 (the seed's first mark): 50/55, as the URL's knownAt says.
    const knownAt = page.getByTestId('knownAt');
    const phaseOne = await knownAt.locator('option').nth(1).getAttribute('value');
    await knownAt.selectOption(phaseOne!);
    await page.getByTestId('kpi-completed').filter({ hasText: '50/55' }).waitFor();
    expect(new URL(page.url()).searchParams.get('knownAt')).toBe(phaseOne);
    expect(await textOf(page, 'past-banner')).toContain('theo dữ liệu đã ghi nhận lúc');
    await page.reload();
    await page.getByTestId('kpi-completed').filter({ hasText: '50/55' }).waitFor();
    await context.close();
  }, 60_000);

  it('compares with a second cut: the completed count shows +5 against the phase-1 state of knowledge', async () => {
    const marks = await (await fetch(`${app.url}/api/v1/ledger/marks`, { headers: { Authorization: 'Bearer demo-manager' } })).json();
    const phaseOne = encodeURIComponent(marks.marks[0].knownAt);
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', `/?asOf=2022-11-30&compareAsOf=2022-11-30&compareKnownAt=${phaseOne}`);
    await page.getByTestId('kpi-completed').filter({ hasText: '55' }).filter({ hasText: '+5' }).waitFor();
    expect(await textOf(page, 'compare-banner')).toContain('So sánh với');
    await context.close();
  }, 60_000);
});
