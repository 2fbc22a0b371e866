import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { verifyBundle } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, seedSkeleton } from '../testing';

const { UNITS } = examples;

describe.each(testEngines())('read API v1 and audit on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let beforeLate: string;
  let afterDefinitions: number;
  const get = (path: string, token = 'demo-manager') => request(t.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  // The last position written (not the gap-free head, which can trail by a projector transaction in flight).
  const latest = async () => Number((await t.db.pool.query('SELECT max(global_position) AS p FROM ledger_events')).rows[0].p);
  const fresh = async (path: string, token?: string) => get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${await latest()}`, token);

  beforeAll(async () => {
    await seedSkeleton(t.app); // plan cchc-2022 and task T-07 (Phòng Nội vụ, due 30/11/2022)
    for (const id of ['T-08', 'T-09']) await t.post(`/api/v1/tasks/${id}/events`, examples.taskDefined({ dueOn: '2022-06-30' })).expect(201);
    afterDefinitions = (await t.post('/api/v1/tasks/T-09/events', examples.taskReassigned({ occurredAt: '2022-07-01', leadUnitId: UNITS.justice })).expect(201)).body.globalPosition;
    await t.post('/api/v1/tasks/T-08/events', examples.taskCompleted({ occurredAt: '2022-06-12' })).expect(201);
    beforeLate = ((await t.db.pool.query('SELECT clock_timestamp() AS t')).rows[0].t as Date).toISOString();
    // Reported late: done on 20/11, recorded after `beforeLate`.
    await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted({ occurredAt: '2022-11-20' })).expect(201);
  }, 60_000);

  it('answers plan progress now, as of a date, as known at a moment, and at a position, echoing the cut', async () => {
    const now = (await fresh('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30')).body;
    expect(now).toMatchObject({ planId: 'cchc-2022', total: 3, completed: 2, completedOnTime: 2, overdue: 1, inProgress: 0, completionRate: 0.6667 });
    expect(now.byField).toEqual([{ field: 'thu_tuc_hanh_chinh', fieldName: 'Cải cách thủ tục hành chính', total: 3, completed: 2 }]);
    expect(now.cut).toEqual({ asOf: '2022-11-30', knownAt: null, position: await latest() });
    const known = (await get(`/api/v1/plans/cchc-2022/progress?asOf=2022-11-30&knownAt=${encodeURIComponent(beforeLate)}`).expect(200)).body;
    expect(known).toMatchObject({ completed: 1, cut: { asOf: '2022-11-30', knownAt: beforeLate } });
    const positioned = (await get(`/api/v1/plans/cchc-2022/progress?position=${afterDefinitions}`).expect(200)).body;
    expect(positioned).toMatchObject({ total: 3, completed: 0, cut: { position: afterDefinitions } });
    expect((await get('/api/v1/plans/cchc-2022/progress?asOf=2022-01-09')).status).toBe(404);
  });

  it('shows a task under its old lead unit before its reassignment', async () => {
    const board = (await fresh('/api/v1/plans/cchc-2022/tasks?asOf=2022-06-30')).body;
    expect(board.tasks.find((t: { taskId: string }) => t.taskId === 'T-09')).toMatchObject({ leadUnitId: UNITS.homeAffairs, status: 'open', dueOn: '2022-06-30' });
    const later = (await get('/api/v1/plans/cchc-2022/tasks?asOf=2022-07-01').expect(200)).body;
    expect(later.tasks.find((t: { taskId: string }) => t.taskId === 'T-09')).toMatchObject({ leadUnitId: UNITS.justice });
    expect((await get('/api/v1/plans?year=2022').expect(200)).body.plans).toEqual([expect.objectContaining({ planId: 'cchc-2022', year: 2022, ownerUnitId: UNITS.district })]);
  });

  it('reads its own write with minPosition, and answers 503 with Retry-After when the view cannot get there', async () => {
    const write = await t.post('/api/v1/tasks/T-09/events', examples.taskCompleted({ occurredAt: '2022-11-25' })).expect(201);
    const read = await get(`/api/v1/plans/cchc-2022/progress?minPosition=${write.body.globalPosition}`).expect(200);
    expect(read.body.completed).toBe(3);
    expect(read.body.cut.position).toBeGreaterThanOrEqual(write.body.globalPosition);
    const beyond = await get('/api/v1/plans/cchc-2022/progress?minPosition=999999999');
    expect(beyond.status).toBe(503);
    expect(beyond.headers['retry-after']).toBe('1');
    expect(beyond.body.code).toBe('view.behind');
  }, 20_000);

  it('refuses bad cuts with 400 naming the parameter', async () => {
    const res = await get('/api/v1/plans/cchc-2022/progress?asOf=2022-11-31&position=-1');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf', 'position']);
  });

  it('serves the inspection log, recruitment pipeline and legal register at a cut', async () => {
    for (const [path, body] of [
      ['/api/v1/inspections/kt-2022/events', examples.inspectionPlanned()],
      ['/api/v1/inspections/kt-2022/events', examples.unitInspected({ occurredAt: '2022-05-12' })],
      ['/api/v1/inspections/kt-2022/events', examples.unitInspected({ occurredAt: '2022-09-01' })],
      ['/api/v1/inspections/kt-2022/events', examples.unitInspected({ occurredAt: '2022-10-03', unitId: UNITS.ducAn })],
      ['/api/v1/recruitments/vc-2022/events', examples.recruitmentPlanApproved()],
      ['/api/v1/recruitments/vc-2022/events', examples.noticePublished()],
      ['/api/v1/recruitments/vc-2022/events', examples.applicationReceived({ applicationId: 'A1' })],
      ['/api/v1/recruitments/vc-2022/events', examples.applicationReceived({ applicationId: 'A2', occurredAt: '2022-11-20' })],
      ['/api/v1/recruitments/vc-2022/events', examples.eligibilityDecided({ applicationId: 'A1' })],
      ['/api/v1/recruitments/vc-2022/events', examples.eligibilityDecided({ applicationId: 'A2', eligible: false, reason: 'Thiếu văn bằng' })],
      ['/api/v1/legal-documents/q-01/events', examples.draftRegistered()],
      ['/api/v1/legal-documents/q-01/events', examples.draftAppraised()],
    ] as const) await t.post(path, body).expect(201);
    const log = (await fresh('/api/v1/inspections/kt-2022/log')).body;
    expect(log.visits.map((v: { unitId: string; date: string }) => [v.unitId, v.date])).toEqual([[UNITS.namBinh, '2022-05-12'], [UNITS.namBinh, '2022-09-01'], [UNITS.ducAn, '2022-10-03']]);
    expect(log.visits[0].unitName).toBe('UBND xã Nam Bình');
    expect(log.visitsByUnit).toEqual([
      expect.objectContaining({ unitId: UNITS.ducAn, visits: 1 }), expect.objectContaining({ unitId: UNITS.namBinh, visits: 2 }),
    ]);
    expect(log.coverage).toEqual({ targets: 2, inspected: 2 });
    expect((await get('/api/v1/inspections/kt-2022/log?asOf=2022-06-30').expect(200)).body.coverage).toEqual({ targets: 2, inspected: 1 });
    expect((await get('/api/v1/inspections?year=2022').expect(200)).body.inspections).toHaveLength(1);

    const pipeline = (await get('/api/v1/recruitments/vc-2022/pipeline').expect(200)).body;
    expect(pipeline.totals).toEqual({ quota: 3, applications: 2, eligible: 1, ineligible: 1, passed: 0, appointed: 0 });
    expect(pipeline.positions[0]).toEqual({ positionId: 'gv-mam-non', title: 'Giáo viên mầm non', quota: 2, applications: 2, eligible: 1, ineligible: 1, passed: 0, appointed: 0 });
    expect((await get('/api/v1/recruitments/vc-2022/pipeline?asOf=2022-11-10').expect(200)).body.totals.applications).toBe(1);
    expect((await get('/api/v1/recruitments?year=2022').expect(200)).body.recruitments).toEqual([expect.objectContaining({ recruitmentId: 'vc-2022', kind: 'vien_chuc', status: 'open' })]);

    const register = (await get('/api/v1/legal-documents?year=2022').expect(200)).body;
    expect(register.counts).toEqual({ drafted: 1, appraised: 1, issued: 0, inForce: 0, expired: 0 });
  });

  describe('audit', () => {
    it('is for inspectors and admins only', async () => {
      expect((await get('/api/v1/audit/verify', 'demo-manager')).status).toBe(403);
      expect((await get('/api/v1/audit/verify', `demo-dept-${UNITS.homeAffairs}`)).status).toBe(403);
      const stored = Number((await t.db.pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
      expect((await get('/api/v1/audit/verify', 'demo-inspector').expect(200)).body).toEqual({ ok: true, checked: stored });
    });

    it('replays a record with who recorded what and when, also as known at a moment', async () => {
      const res = await get('/api/v1/audit/streams/task:T-07', 'demo-inspector').expect(200);
      expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['TaskDefined', 'TaskCompleted']);
      expect(res.body.events[1]).toMatchObject({ actor: { keyId: 'demo-admin', role: 'admin' }, occurredAt: '2022-11-20T00:00:00.000000Z', hash: expect.any(String) });
      const known = await get(`/api/v1/audit/streams/task:T-07?knownAt=${encodeURIComponent(beforeLate)}`, 'demo-inspector').expect(200);
      expect(known.body.events).toHaveLength(1);
    });

    it('lists activity by unit and actor', async () => {
      await t.post('/api/v1/tasks/T-10/events', examples.taskDefined()).expect(201);
      await t.post('/api/v1/tasks/T-10/events', examples.taskProgressReported(), { token: `demo-dept-${UNITS.homeAffairs}` }).expect(201);
      const res = await get(`/api/v1/audit/activity?unit=${UNITS.homeAffairs}`, 'demo-inspector').expect(200);
      expect(res.body.events).toEqual([expect.objectContaining({ streamId: 'task:T-10', type: 'TaskProgressReported' })]);
      const byKey = await get('/api/v1/audit/activity?actor=demo-admin&limit=2', 'demo-inspector').expect(200);
      expect(byKey.body.events).toHaveLength(2);
      expect(byKey.body.next).toBe(byKey.body.events[1].globalPosition);
    });

    it('diffs plan progress between two cuts, with the events that made the difference', async () => {
      const res = await get(`/api/v1/audit/diff?view=plan-progress&planId=cchc-2022&from=${afterDefinitions}&to=${encodeURIComponent(new Date().toISOString())}&asOf=2022-11-30`, 'demo-inspector').expect(200);
      expect(res.body.from.completed).toBe(0);
      expect(res.body.to.completed).toBe(3);
      expect(res.body.changed.map((c: { taskId: string }) => c.taskId)).toEqual(expect.arrayContaining(['T-07', 'T-08', 'T-09']));
      expect(res.body.changed.find((c: { taskId: string }) => c.taskId === 'T-08')).toMatchObject({ before: { status: 'open' }, after: { status: 'done', completedOn: '2022-06-12' } });
      expect(res.body.events.every((e: { globalPosition: number }) => e.globalPosition > afterDefinitions)).toBe(true);
    });

    it('exports a bundle that verifies offline', async () => {
      const res = await get('/api/v1/audit/export', 'demo-inspector').buffer(true).parse((r, callback) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => callback(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/x-tar');
      const verdict = verifyBundle(res.body as Buffer);
      expect(verdict).toMatchObject({ ok: true, manifest: { ledgerVerified: { ok: true } } });
      expect(verdict.checked).toBe(verdict.manifest!.count);
      expect(verdict.checked).toBeGreaterThan(20);
    });
  });

  it('answers every read route at every kind of cut, echoing it', async () => {
    const head = await latest();
    await fresh('/api/v1/plans');
    const knownAt = new Date().toISOString();
    const routes = ['/api/v1/plans?year=2022', '/api/v1/plans/cchc-2022/progress', '/api/v1/plans/cchc-2022/tasks', '/api/v1/inspections?year=2022',
      '/api/v1/inspections/kt-2022/log', '/api/v1/recruitments?year=2022', '/api/v1/recruitments/vc-2022/pipeline', '/api/v1/legal-documents?year=2022'];
    const cuts: [string, Record<string, unknown>][] = [
      ['asOf=2022-11-30', { asOf: '2022-11-30', knownAt: null }],
      [`knownAt=${encodeURIComponent(knownAt)}`, { asOf: null, knownAt }],
      [`position=${head}`, { asOf: null, knownAt: null, position: head }],
      [`asOf=2022-11-30T12:00:00%2B07:00&knownAt=${encodeURIComponent(knownAt)}&position=${head}`, { asOf: '2022-11-30T12:00:00+07:00', knownAt, position: head }],
    ];
    for (const route of routes) {
      for (const [query, echoed] of cuts) {
        const res = await get(`${route}${route.includes('?') ? '&' : '?'}${query}`);
        expect({ route, query, status: res.status, cut: res.body.cut }).toEqual({ route, query, status: 200, cut: expect.objectContaining(echoed) });
      }
    }
  });

  it('reports projection lag on /health and /metrics', async () => {
    await fresh('/api/v1/plans');
    const health = (await request(t.app.getHttpServer()).get('/health').expect(200)).body;
    expect(health.info.projections['plan-progress']).toEqual({ checkpoint: expect.any(Number), lag: expect.any(Number) });
    const metrics = await request(t.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^reform_ledger_projection_lag\{view="plan-progress"\} \d+$/m);
    expect(metrics.text).toMatch(/^reform_ledger_head_position \d+$/m);
  });

  it('rebuilds a view while it keeps answering, then swaps to the new generation', async () => {
    const answer = (await fresh('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30')).body;
    const before = (await get('/api/v1/admin/views', 'demo-admin').expect(200)).body.views.find((v: { view: string }) => v.view === 'plan-progress');
    await request(t.app.getHttpServer()).post('/api/v1/admin/views/plan-progress/rebuild').set('Authorization', 'Bearer demo-admin').expect(202);
    expect((await get('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30').expect(200)).body).toEqual(answer);
    let after = before;
    for (let i = 0; i < 200 && (after.rebuilding || after.generations[0].generation === before.generations[0].generation); i++) {
      await new Promise((r) => setTimeout(r, 25));
      after = (await get('/api/v1/admin/views', 'demo-admin')).body.views.find((v: { view: string }) => v.view === 'plan-progress');
    }
    expect(after.generations).toEqual([{ generation: before.generations[0].generation + 1, status: 'active', checkpoint: expect.any(Number) }]);
    expect((await fresh('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30')).body).toEqual(answer);
    expect((await request(t.app.getHttpServer()).post('/api/v1/admin/views/nope/rebuild').set('Authorization', 'Bearer demo-admin')).status).toBe(404);
  }, 20_000);
});
