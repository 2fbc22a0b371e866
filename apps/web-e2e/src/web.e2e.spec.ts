import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { call, launchBrowser, ROOT, Running, signedIn, startApp, textOf } from './harness';

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
      const page = await call(`${app.url}${path}`, { headers: { Accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    const missing = await call(`${app.url}/api/v1/nope`, { headers: { Accept: 'text/html,*/*' } });
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, expect.stringContaining('application/problem+json')]);
    expect((await call(`${app.url}/docs-json`)).headers.get('content-type')).toContain('application/json');
    expect((await call(`${app.url}/health`)).status).toBe(200);
  });

  it('has API types that match the API (apps/web/src/api/schema.d.ts is /docs-json through openapi-typescript)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-api-types-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), await (await call(`${app.url}/docs-json`)).text());
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

  it('says next to the time bar, in the API\'s words, when a cut cannot be answered (a position the ledger never assigned)', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', '/?position=99999999');
    expect(await textOf(page, 'cut-error')).toMatch(/^Vị trí sổ cái: .*99999999/);
    await context.close();
  }, 60_000);

  it('compares with a second cut: the completed count shows +5 against the phase-1 state of knowledge', async () => {
    const marks = await (await call(`${app.url}/api/v1/ledger/marks`, { headers: { Authorization: 'Bearer demo-manager' } })).json();
    const phaseOne = encodeURIComponent(marks.marks[0].knownAt);
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', `/?asOf=2022-11-30&compareAsOf=2022-11-30&compareKnownAt=${phaseOne}`);
    await page.getByTestId('kpi-completed').filter({ hasText: '55' }).filter({ hasText: '+5' }).waitFor();
    expect(await textOf(page, 'compare-banner')).toContain('So sánh với');
    await context.close();
  }, 60_000);

  it('marks against the compared cut the burn-up (a second series, its day), the breakdowns, the overdue list, data quality, positions and visits', async () => {
    const marks = await (await call(`${app.url}/api/v1/ledger/marks`, { headers: { Authorization: 'Bearer demo-manager' } })).json();
    const phaseOne = encodeURIComponent(marks.marks[0].knownAt);
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', `/?asOf=2022-11-30&compareAsOf=2022-11-30&compareKnownAt=${phaseOne}`);
    const plan = page.getByTestId('plan-cchc-2022');
    await plan.getByTestId('kpi-completed').filter({ hasText: '+5' }).waitFor();
    await plan.getByTestId('burn-up').locator('text').filter({ hasText: 'Đã hoàn thành (mốc so sánh)' }).first().waitFor();
    // The five late completions: overdue at phase 1, no longer; one more unit-level completion for each of their units.
    expect(await textOf(page, 'overdue-count')).toBe('0 −5');
    expect(await plan.locator('[data-testid="overdue"] tr.change-removed').count()).toBe(5);
    expect(await plan.locator('tr', { hasText: 'Phòng Nội vụ' }).locator('.delta').first().innerText()).toContain('+1');
    // "100% done with late tasks" is new since phase 1.
    expect(await textOf(page, 'data-quality-findings')).toBe('4 +1');
    await page.getByRole('link', { name: 'Xem chi tiết' }).click();
    await page.locator('tr[data-rule="plan.done_but_late"] [data-change="added"]').waitFor();
    expect(await page.locator('[data-testid="data-quality"] [data-change]').count()).toBe(1);
    // Visits and positions: since 30/06 (valid time).
    await page.goto(`${app.url}/kiem-tra?asOf=2022-11-30&compareAsOf=2022-06-30`);
    await page.getByTestId('inspection-kt-ct01-2022').locator('[data-change="added"]').first().waitFor();
    await page.goto(`${app.url}/tuyen-dung?asOf=2022-12-31&compareAsOf=2022-11-01`);
    await page.getByTestId('pipeline-vien-chuc-2022').locator('tr[data-position] .delta').first().waitFor();
    await context.close();
  }, 90_000);

  it('shows the Chỉ thị 01 inspection: 20 units, 24 visits', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', '/kiem-tra?asOf=2022-11-30');
    const ct01 = page.getByTestId('inspection-kt-ct01-2022');
    await ct01.getByTestId('units-visited').filter({ hasText: '20' }).waitFor();
    expect(await ct01.getByTestId('visits').innerText()).toContain('24');
    await context.close();
  }, 60_000);

  it('shows both drives: viên chức quota 43 with 26 applications; commune civil servants 15 / 28 / 27 / 1', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', '/tuyen-dung?asOf=2022-12-31');
    const step = (drive: string, key: string) => page.getByTestId(`pipeline-${drive}`).getByTestId('totals').locator(`[data-step="${key}"]`).innerText();
    await page.getByTestId('pipeline-vien-chuc-2022').waitFor();
    expect([await step('vien-chuc-2022', 'quota'), await step('vien-chuc-2022', 'applications')]).toEqual(['43', '26']);
    expect(await Promise.all(['quota', 'applications', 'eligible', 'ineligible'].map((k) => step('cong-chuc-xa-2022', k)))).toEqual(['15', '28', '27', '1']);
    await context.close();
  }, 60_000);

  it('shows the QPPL register of 2022: 6 appraised, 6 issued, 6 expired', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-manager', '/van-ban?asOf=2022-12-31');
    await page.getByTestId('legal-issued').filter({ hasText: '6' }).waitFor();
    expect([await textOf(page, 'legal-appraised'), await textOf(page, 'legal-expired')]).toEqual(['Đã thẩm định 6', 'Hết hiệu lực 6']);
    await context.close();
  }, 60_000);

  it('shows a record\'s history with the completions reported after the phase-1 report marked late, to an inspector and on a manager\'s task page', async () => {
    const inspector = await signedIn(browser, app.url, 'demo-inspector', '/lich-su?streamId=task%3ANV-11');
    const timeline = inspector.page.getByTestId('timeline');
    await timeline.locator('li[data-type="TaskCompleted"][data-late="true"]').waitFor();
    expect(await timeline.locator('li[data-type="TaskDefined"]').getAttribute('data-late')).toBe('false');
    await inspector.page.locator('li[data-type="TaskCompleted"] summary').click(); // the raw envelope, on demand
    expect(await inspector.page.locator('li[data-type="TaskCompleted"] pre').innerText()).toContain('"hash"');
    // A task completed in phase 1 is not late.
    await inspector.page.goto(`${app.url}/lich-su?streamId=task%3ANV-01`);
    await timeline.locator('li[data-type="TaskCompleted"][data-late="false"]').waitFor();
    await inspector.context.close();
    const manager = await signedIn(browser, app.url, 'demo-manager', '/nhiem-vu/NV-11');
    await manager.page.getByTestId('task-history').getByTestId('recorded-late').waitFor();
    await manager.context.close();
  }, 60_000);

  it('shows each role only its pages: no audit for a department or a manager, no forms for a manager or an inspector', async () => {
    const menu = async (key: string) => {
      const { context, page } = await signedIn(browser, app.url, key, '/');
      const items = await page.locator('header nav a').allInnerTexts();
      return { context, page, items };
    };
    // A department signs in from the demo list, by its unit's name.
    const clerk = await browser.newContext({ locale: 'vi-VN' });
    const department = { context: clerk, page: await clerk.newPage(), items: [] as string[] };
    await department.page.goto(`${app.url}/`);
    await department.page.getByTestId('demo-department').selectOption({ label: 'Phòng Nội vụ' });
    await department.page.getByTestId('demo-department-sign-in').click();
    await department.page.getByTestId('who').filter({ hasText: 'Phòng Nội vụ' }).waitFor();
    department.items = await department.page.locator('header nav a').allInnerTexts();
    expect(department.items).toEqual(['Việc của đơn vị', 'Nhiệm vụ']);
    await department.page.goto(`${app.url}/lich-su?streamId=task%3ANV-11`);
    await department.page.waitForURL((u) => u.pathname === '/don-vi');
    await department.context.close();
    const manager = await menu('demo-manager');
    expect(manager.items).toEqual(['Tổng quan', 'Nhiệm vụ', 'Kiểm tra', 'Tuyển dụng', 'Văn bản QPPL', 'Chất lượng dữ liệu']);
    await manager.page.goto(`${app.url}/nhiem-vu`);
    await manager.page.getByTestId('task-board').waitFor();
    expect(await manager.page.locator('form.record').count()).toBe(0);
    await manager.context.close();
    const inspector = await menu('demo-inspector');
    expect(inspector.items).toEqual([...manager.items, 'Lịch sử hồ sơ', 'Thay đổi giữa hai thời điểm', 'Toàn vẹn', 'Nhật ký']);
    await inspector.context.close();
    const admin = await menu('demo-admin');
    expect(admin.items.slice(-3)).toEqual(['Đơn vị', 'Khóa truy cập', 'Chế độ xem']);
    await admin.context.close();
  }, 90_000);

  /** Records an event as the admin (what a test sets up before a user acts on it). */
  const post = (path: string, body: unknown, key: string) => call(`${app.url}${path}`, {
    method: 'POST', headers: { Authorization: 'Bearer demo-admin', 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body),
  });

  it('lets a department record a completion on its own open task: refused at the field when in the future, recorded once despite a lost answer and a double click, seen after reload', async () => {
    const defined = await post('/api/v1/tasks/E2E-01/events', {
      type: 'TaskDefined', occurredAt: '2022-02-01', data: { planId: 'cchc-2022', title: 'Nhiệm vụ kiểm thử giao diện', field: 'chinh_quyen_so', leadUnitId: 'phong-noi-vu', dueOn: '2022-12-15' },
    }, 'e2e-define-E2E-01');
    expect(defined.status).toBe(201);
    const events = async (type: string) => {
      const res = await call(`${app.url}/api/v1/audit/streams/task:E2E-01`, { headers: { Authorization: 'Bearer demo-inspector' } });
      return ((await res.json()).events as { type: string }[]).filter((e) => e.type === type).length;
    };
    const { context, page } = await signedIn(browser, app.url, 'demo-dept-phong-noi-vu', '/don-vi');
    const row = page.locator('tr[data-task="E2E-01"]');
    await row.getByTestId('status').filter({ hasText: 'Đang thực hiện' }).waitFor();

    // A progress report, double-clicked: one event.
    await row.getByRole('button', { name: 'Báo cáo tiến độ' }).click();
    const progress = row.getByTestId('form-TaskProgressReported');
    await progress.locator('input[name="occurredAt"]').fill('01/06/2022');
    await progress.locator('input[name="numerator"]').fill('1');
    await progress.locator('input[name="denominator"]').fill('2');
    await progress.getByRole('button', { name: 'Ghi nhận' }).dblclick();
    await progress.getByRole('status').waitFor();
    expect(await events('TaskProgressReported')).toBe(1);

    await row.getByTestId('open-complete').click();
    const form = row.getByTestId('form-TaskCompleted');
    // Refused by the API (a day in the future): its message, at the date.
    await form.locator('input[name="occurredAt"]').fill('31/12/2099');
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    await form.locator('[data-field-error="occurredAt"]').waitFor();
    expect(await form.locator('[data-field-error="occurredAt"]').innerText()).toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
    // The answer to the first real attempt is lost (the server records it); the user submits again: the same key, one event.
    const key = await form.getAttribute('data-idempotency-key');
    await form.locator('input[name="occurredAt"]').fill('10/11/2022');
    let lost = false;
    await page.route('**/api/v1/tasks/E2E-01/events', async (route) => {
      if (lost) return route.continue();
      lost = true;
      await route.fetch(); // it reaches the API and is recorded…
      await route.abort('connectionreset'); // …but the answer never arrives
    });
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    await form.getByRole('alert').filter({ hasText: 'Không kết nối được' }).waitFor();
    expect(await form.getAttribute('data-idempotency-key')).toBe(key);
    await form.getByRole('button', { name: 'Ghi nhận' }).dblclick();
    await row.getByTestId('status').filter({ hasText: 'Đã hoàn thành ngày 10/11/2022' }).waitFor();
    expect(await events('TaskCompleted')).toBe(1);
    await page.reload();
    await page.locator('tr[data-task="E2E-01"]').getByTestId('status').filter({ hasText: 'Đã hoàn thành ngày 10/11/2022' }).waitFor();
    await context.close();
  }, 90_000);

  it('lets a department cite a registered document as the evidence of a completion, found by its number (the form sends its record id)', async () => {
    expect((await post('/api/v1/tasks/E2E-02/events', {
      type: 'TaskDefined', occurredAt: '2022-02-01', data: { planId: 'cchc-2022', title: 'Nhiệm vụ kiểm thử văn bản minh chứng', field: 'che_do_cong_vu', leadUnitId: 'phong-noi-vu', dueOn: '2022-12-15' },
    }, 'e2e-define-E2E-02')).status).toBe(201);
    const { context, page } = await signedIn(browser, app.url, 'demo-dept-phong-noi-vu', '/don-vi');
    const row = page.locator('tr[data-task="E2E-02"]');
    await row.getByTestId('open-complete').click();
    const form = row.getByTestId('form-TaskCompleted');
    await form.locator('input[name="occurredAt"]').fill('15/11/2022');
    const picker = form.getByTestId('document-picker-evidenceDocumentId');
    await picker.locator('input[type="search"]').fill('39/qđ');
    await picker.getByTestId('document-count').filter({ hasText: /^1 văn bản khớp/ }).waitFor();
    const option = picker.locator('option[value="ubnd-dak-song.2022.39.qd-ubnd"]');
    expect(await option.innerText()).toBe('Quyết định số 39/QĐ-UBND ngày 10/01/2022 của UBND huyện Đắk Song — Phê duyệt Kế hoạch Cải cách hành chính năm 2022');
    await picker.locator('select').selectOption('ubnd-dak-song.2022.39.qd-ubnd');
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    await row.getByTestId('status').filter({ hasText: 'Đã hoàn thành ngày 15/11/2022' }).waitFor();
    const stream = await (await call(`${app.url}/api/v1/audit/streams/task:E2E-02`, { headers: { Authorization: 'Bearer demo-inspector' } })).json();
    expect(stream.events.at(-1)).toMatchObject({ type: 'TaskCompleted', data: { evidenceDocumentId: 'ubnd-dak-song.2022.39.qd-ubnd' } });
    await context.close();
  }, 90_000);

  it('gives a department on an inspection\'s team (not its lead) the visit form, and records the visit with its own key', async () => {
    const inspection = '/api/v1/inspections/kt-e2e-team/events';
    expect((await post(inspection, {
      type: 'InspectionPlanned', occurredAt: '2022-03-01',
      data: { title: 'Kiểm tra thử của đoàn liên ngành', leadUnitId: 'phong-tu-phap', targetUnitIds: ['ubnd-xa-nam-binh'], periodFrom: '2022-03-01', periodTo: '2022-12-31' },
    }, 'e2e-team-planned')).status).toBe(201);
    expect((await post(inspection, { type: 'InspectionTeamFormed', occurredAt: '2022-03-05', data: { memberUnitIds: ['phong-van-hoa-thong-tin'] } }, 'e2e-team-formed')).status).toBe(201);

    // A unit neither leading it nor on its team has no form for it.
    const outsider = await signedIn(browser, app.url, 'demo-dept-phong-noi-vu', '/don-vi');
    await outsider.page.getByTestId('my-tasks-cchc-2022').waitFor();
    expect(await outsider.page.getByTestId('my-inspection-kt-e2e-team').count()).toBe(0);
    await outsider.context.close();

    const { context, page } = await signedIn(browser, app.url, 'demo-dept-phong-van-hoa-thong-tin', '/don-vi');
    const section = page.getByTestId('my-inspection-kt-e2e-team');
    expect(await section.locator('h2').innerText()).toContain('thành viên đoàn kiểm tra (Phòng Tư pháp chủ trì)');
    const form = section.getByTestId('form-UnitInspected');
    await form.locator('input[name="occurredAt"]').fill('12/05/2022');
    await form.locator('select[name="unitId"]').selectOption({ label: 'UBND xã Nam Bình' });
    await form.locator('input[name="findings"]').fill('Niêm yết thủ tục hành chính đầy đủ');
    await form.getByRole('button', { name: 'Ghi nhận' }).click();
    await form.getByRole('status').waitFor();
    await section.filter({ hasText: 'Đã kiểm tra 1/1' }).waitFor();
    const stream = await (await call(`${app.url}/api/v1/audit/streams/inspection:kt-e2e-team`, { headers: { Authorization: 'Bearer demo-inspector' } })).json();
    expect(stream.events.at(-1)).toMatchObject({ type: 'UnitInspected', data: { unitId: 'ubnd-xa-nam-binh' }, actor: { keyId: 'demo-dept-phong-van-hoa-thong-tin' } });
    await context.close();
  }, 90_000);

  it('gives an inspector the integrity page: verify, the current signed tree head to keep as a file, an export bundle', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-inspector', '/toan-ven');
    await page.getByTestId('tree-size').waitFor();
    expect(Number((await textOf(page, 'tree-size')).replace(/\./g, ''))).toBeGreaterThanOrEqual(353);
    const [head] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-head').click()]);
    expect(head.suggestedFilename()).toMatch(/^tree-head-\d+\.json$/);
    const kept = JSON.parse(readFileSync(await head.path(), 'utf8'));
    expect(kept).toMatchObject({ format: 'reform-ledger-tree-head/1', rootHash: expect.any(String), signature: expect.any(String) });
    await page.getByTestId('run-verify').click();
    expect(await textOf(page, 'verify-result')).toContain('Toàn vẹn: đã kiểm tra');
    // What was checked, in Vietnamese (the API names its checks in English).
    expect(await textOf(page, 'verify-result')).toMatch(/Đã kiểm tra: mã băm của từng sự kiện; chuỗi băm của từng hồ sơ; .*cây Merkle \(RFC 9162\) so với [\d.]+ đầu cây đã ký\./);
    const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải gói (.tar)' }).click()]);
    expect(bundle.suggestedFilename()).toMatch(/^reform-ledger-1-\d+\.tar$/);
    await context.close();
  }, 60_000);

  it('lets an admin issue a key (its token shown once) that then signs in with its role and unit, and revoke it', async () => {
    const { context, page } = await signedIn(browser, app.url, 'demo-admin', '/quan-tri/khoa');
    const form = page.getByTestId('issue-key');
    await form.locator('select').first().selectOption('department');
    await form.locator('select').nth(1).selectOption('phong-tu-phap');
    await form.getByRole('button', { name: 'Cấp khóa' }).click();
    const token = await page.getByTestId('issued-token').locator('code').innerText();
    expect(token).toMatch(/^rl_/);
    const clerk = await signedIn(browser, app.url, token, '/');
    expect(await textOf(clerk.page, 'who')).toBe('Phòng ban / UBND xã — Phòng Tư pháp');
    await clerk.context.close();
    const keyId = (await page.getByTestId('issued-token').locator('strong').innerText()).trim();
    await page.locator(`tr[data-key-id="${keyId}"]`).getByRole('button', { name: 'Thu hồi' }).click();
    await page.locator(`tr[data-key-id="${keyId}"]`).filter({ hasText: 'Đã thu hồi' }).waitFor();
    await context.close();
  }, 60_000);
});
