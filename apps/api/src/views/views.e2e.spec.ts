import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { verifyBundle } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Projector } from '@reform-ledger/projections';
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

  it('answers the progress series in one call: each point as the progress route counts it at that day, at the same knownAt', async () => {
    const position = await latest();
    const series = (await get(`/api/v1/plans/cchc-2022/progress/series?from=2022-06-01&to=2022-12-01&step=month&position=${position}`).expect(200)).body;
    expect(series.points.map((p: { asOf: string }) => p.asOf)).toEqual(['2022-06-01', '2022-07-01', '2022-08-01', '2022-09-01', '2022-10-01', '2022-11-01', '2022-12-01']);
    for (const point of series.points) {
      const { total, completed, completedOnTime, overdue, inProgress } = (await get(`/api/v1/plans/cchc-2022/progress?asOf=${point.asOf}&position=${position}`).expect(200)).body;
      expect(point).toEqual({ asOf: point.asOf, total, completed, completedOnTime, overdue, inProgress });
    }
    const known = (await get(`/api/v1/plans/cchc-2022/progress/series?from=2022-11-30&to=2022-11-30&knownAt=${encodeURIComponent(beforeLate)}`).expect(200)).body;
    const progress = (await get(`/api/v1/plans/cchc-2022/progress?asOf=2022-11-30&knownAt=${encodeURIComponent(beforeLate)}`).expect(200)).body;
    expect(known.points).toEqual([expect.objectContaining({ asOf: '2022-11-30', completed: progress.completed, overdue: progress.overdue })]);
    const weekly = (await get('/api/v1/plans/cchc-2022/progress/series').expect(200)).body;
    expect(weekly).toMatchObject({ planId: 'cchc-2022', step: 'week' });
    expect(weekly.points).toHaveLength(53); // 01/01/2022 to 31/12/2022
    const refused = (await get('/api/v1/plans/cchc-2022/progress/series?from=2022-12-01&to=2022-01-01').expect(400)).body;
    expect(refused.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    expect((await get('/api/v1/plans/cchc-2022/progress/series?from=2000-01-01&to=2022-12-31&step=day').expect(400)).body.errors[0].field).toBe('step');
    expect((await get('/api/v1/plans/cchc-2022/progress/series?asOf=2022-11-30').expect(400)).body.errors[0].field).toBe('asOf');
    await get('/api/v1/plans/nope/progress/series').expect(404);
  });

  it('says who a key is (/me), lists the units with their names, and in demo mode the demo keys', async () => {
    expect((await get('/api/v1/me', `demo-dept-${UNITS.homeAffairs}`).expect(200)).body)
      .toEqual({ keyId: `demo-dept-${UNITS.homeAffairs}`, role: 'department', unitId: UNITS.homeAffairs, unitName: 'Phòng Nội vụ', demo: true });
    expect((await get('/api/v1/me').expect(200)).body).toEqual({ keyId: 'demo-manager', role: 'manager', unitId: null, unitName: null, demo: true });
    await request(t.app.getHttpServer()).get('/api/v1/me').expect(401);
    const units = (await get('/api/v1/units').expect(200)).body.units;
    expect(units).toContainEqual({ unitId: UNITS.homeAffairs, name: 'Phòng Nội vụ', kind: 'department', status: 'active', parentUnitId: UNITS.district, intoUnitId: null, since: null });
    const keys = (await request(t.app.getHttpServer()).get('/api/v1/demo-keys').expect(200)).body.keys;
    expect(keys.slice(0, 3).map((k: { token: string }) => k.token)).toEqual(['demo-admin', 'demo-manager', 'demo-inspector']);
    expect(keys).toContainEqual({ token: `demo-dept-${UNITS.homeAffairs}`, role: 'department', unitId: UNITS.homeAffairs, unitName: 'Phòng Nội vụ' });
  });

  it('shows a task under its old lead unit before its reassignment', async () => {
    const board = (await fresh('/api/v1/plans/cchc-2022/tasks?asOf=2022-06-30')).body;
    expect(board.tasks.find((t: { taskId: string }) => t.taskId === 'T-09')).toMatchObject({ leadUnitId: UNITS.homeAffairs, status: 'open', dueOn: '2022-06-30' });
    const later = (await get('/api/v1/plans/cchc-2022/tasks?asOf=2022-07-01').expect(200)).body;
    expect(later.tasks.find((t: { taskId: string }) => t.taskId === 'T-09')).toMatchObject({ leadUnitId: UNITS.justice });
    expect((await get('/api/v1/plans?year=2022').expect(200)).body.plans).toEqual([expect.objectContaining({ planId: 'cchc-2022', year: 2022, ownerUnitId: UNITS.district })]);
  });

  it('reads its own write with minPosition; a position never assigned is a 400 at once', async () => {
    const write = await t.post('/api/v1/tasks/T-09/events', examples.taskCompleted({ occurredAt: '2022-11-25' })).expect(201);
    const read = await get(`/api/v1/plans/cchc-2022/progress?minPosition=${write.body.globalPosition}`).expect(200);
    expect(read.body.completed).toBe(3);
    expect(read.body.cut.position).toBeGreaterThanOrEqual(write.body.globalPosition);
    const started = performance.now();
    for (const param of ['position', 'minPosition']) {
      const beyond = await get(`/api/v1/plans/cchc-2022/progress?${param}=999999999`).set('Accept-Language', 'en');
      expect(beyond.status).toBe(400);
      expect(beyond.body.errors).toEqual([{ field: param, reason: expect.stringMatching(/^position 999999999 has never been assigned: the ledger has reached \d+/) }]);
    }
    expect(performance.now() - started).toBeLessThan(4_000); // refused at once, not after the 5 s wait (a bound, not a benchmark)
  });

  it('waits for a position assigned but not yet applied, and answers 503 with Retry-After when the views do not get there', async () => {
    const projector = t.app.get(Projector);
    await projector.stop();
    try {
      const recorded = await t.post('/api/v1/tasks/T-13/events', examples.taskDefined()).expect(201);
      // position waits as minPosition does (one 5 s wait is enough to show it: they share the path).
      const behind = await get(`/api/v1/plans/cchc-2022/progress?position=${recorded.body.globalPosition}`);
      expect({ status: behind.status, code: behind.body.code, retry: behind.headers['retry-after'], field: behind.body.errors[0].field })
        .toEqual({ status: 503, code: 'view.behind', retry: '1', field: 'position' });
    } finally {
      projector.start();
    }
    expect((await fresh('/api/v1/plans/cchc-2022/progress')).status).toBe(200);
  }, 30_000);

  it('refuses a query parameter the route does not know, naming the right one', async () => {
    const res = await get('/api/v1/plans/cchc-2022/progress?asof=2022-11-30');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.invalid', errors: [{ field: 'asof', reason: expect.stringContaining('có phải ý bạn là asOf?') }] });
    expect(res.body.detail).toContain('asOf');
    const english = await get('/api/v1/plans/cchc-2022/progress?asof=2022-11-30&postion=3').set('Accept-Language', 'en');
    expect(english.body.detail).toMatch(/^This route has no parameter asof; did you mean asOf\? Parameters it takes: unitId, asOf, knownAt, position, minPosition, format\.$/);
    expect(english.body.errors.map((e: { field: string }) => e.field)).toEqual(['asof', 'postion']);
    expect(english.body.errors[1].reason).toContain('did you mean position?');
    expect((await get('/api/v1/plans?yaer=2022')).body.errors[0].reason).toContain('year');
    expect((await get('/api/v1/audit/verify?full=true', 'demo-inspector')).status).toBe(400);
  });

  it('counts a completion at 06:00 on 01/12 in Vietnam (+07:00) as done on 01/12, late, and not in asOf=2022-11-30', async () => {
    await t.post('/api/v1/tasks/T-11/events', examples.taskDefined({ dueOn: '2022-11-30' })).expect(201);
    const done = await t.post('/api/v1/tasks/T-11/events', examples.taskCompleted({ occurredAt: '2022-12-01T06:00:00+07:00' })).expect(201);
    const task = async (asOf: string) => (await get(`/api/v1/plans/cchc-2022/tasks?asOf=${asOf}&minPosition=${done.body.globalPosition}`).expect(200))
      .body.tasks.find((x: { taskId: string }) => x.taskId === 'T-11');
    expect(await task('2022-11-30')).toMatchObject({ status: 'open', completedOn: null });
    expect(await task('2022-12-01')).toMatchObject({ status: 'done', completedOn: '2022-12-01', dueOn: '2022-11-30' });
    const [nov, dec] = [await get('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30'), await get('/api/v1/plans/cchc-2022/progress?asOf=2022-12-01')];
    expect(dec.body.completed - nov.body.completed).toBe(1);
    expect(dec.body.completedOnTime).toBe(nov.body.completedOnTime); // late
    const [audit] = (await get('/api/v1/audit/streams/task:T-11', 'demo-inspector').expect(200)).body.events.slice(-1);
    expect(audit.occurredAt).toBe('2022-11-30T23:00:00.000000Z');
  });

  it('shows reported progress on the board and counts open tasks with a report', async () => {
    await t.post('/api/v1/tasks/T-12/events', examples.taskDefined({ dueOn: '2022-12-15' })).expect(201);
    const report = await t.post('/api/v1/tasks/T-12/events', examples.taskProgressReported({ occurredAt: '2022-10-01T08:00:00+07:00', progress: { numerator: 2, denominator: 5 } })).expect(201);
    const board = (await get(`/api/v1/plans/cchc-2022/tasks?minPosition=${report.body.globalPosition}`).expect(200)).body;
    expect(board.tasks.find((x: { taskId: string }) => x.taskId === 'T-12').progress).toEqual({ numerator: 2, denominator: 5, percent: 40, reportedOn: '2022-10-01' });
    expect(board.tasks.find((x: { taskId: string }) => x.taskId === 'T-07').progress).toBeNull();
    expect((await get('/api/v1/plans/cchc-2022/progress?asOf=2022-10-01').expect(200)).body.withProgressReport).toBe(1);
    expect((await get('/api/v1/plans/cchc-2022/progress?asOf=2022-09-30').expect(200)).body.withProgressReport).toBe(0);
  });

  it('filters by unit: the tasks a unit leads, the plans and drives it owns, what it drafts', async () => {
    const mine = (await fresh(`/api/v1/plans/cchc-2022/tasks?unitId=${UNITS.justice}`)).body;
    expect(mine.unitId).toBe(UNITS.justice);
    expect(mine.tasks.map((x: { taskId: string }) => x.taskId)).toEqual(['T-09']);
    expect((await get(`/api/v1/plans/cchc-2022/progress?unitId=${UNITS.justice}`).expect(200)).body).toMatchObject({ total: 1, byUnit: [{ unitId: UNITS.justice }] });
    expect((await get(`/api/v1/plans?unitId=${UNITS.district}`).expect(200)).body.plans).toHaveLength(1);
    expect((await get(`/api/v1/plans?unitId=${UNITS.justice}`).expect(200)).body.plans).toEqual([]);
    expect((await get('/api/v1/plans/cchc-2022/tasks?unitId=Phòng').expect(400)).body.errors[0].field).toBe('unitId');
  });

  it('refuses bad cuts with 400 naming the parameter', async () => {
    const res = await get('/api/v1/plans/cchc-2022/progress?asOf=2022-11-31&position=-1');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['asOf', 'position']);
  });

  it('serves the inspection log, recruitment pipeline and legal register at a cut', async () => {
    for (const [path, body] of [
      ['/api/v1/inspections/kt-2022/events', examples.inspectionPlanned()],
      ['/api/v1/inspections/kt-2022/events', examples.inspectionTeamFormed({ memberUnitIds: [UNITS.justice] })],
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
    // A unit on the team finds the inspection under its own unitId (it records visits there), with the team listed.
    expect((await get(`/api/v1/inspections?year=2022&unitId=${UNITS.justice}`).expect(200)).body.inspections)
      .toEqual([expect.objectContaining({ inspectionId: 'kt-2022', memberUnitIds: [UNITS.justice] })]);
    expect((await get(`/api/v1/inspections?year=2022&unitId=${UNITS.culture}`).expect(200)).body.inspections).toEqual([]);

    const pipeline = (await get('/api/v1/recruitments/vc-2022/pipeline').expect(200)).body;
    expect(pipeline.totals).toEqual({ quota: 3, applications: 2, withdrawn: 0, eligible: 1, ineligible: 1, pending: 0, passed: 0, appointed: 0 });
    expect(pipeline.positions[0]).toEqual({ positionId: 'gv-mam-non', title: 'Giáo viên mầm non', quota: 2, applications: 2, withdrawn: 0, eligible: 1, ineligible: 1, pending: 0, passed: 0, appointed: 0 });
    expect(pipeline.window).toEqual({ from: '2022-10-28', to: '2022-11-27' });
    expect((await get('/api/v1/recruitments/vc-2022/pipeline?asOf=2022-11-10').expect(200)).body.totals).toMatchObject({ applications: 1, pending: 1 });
    expect((await get('/api/v1/recruitments/vc-2022/pipeline?asOf=2022-11-10').expect(200)).body.totals.applications).toBe(1);
    // The window closed on 27/11: the drive is at "applications closed" today, and was open on 10/11.
    expect((await get('/api/v1/recruitments?year=2022').expect(200)).body.recruitments).toEqual([expect.objectContaining({ recruitmentId: 'vc-2022', kind: 'vien_chuc', status: 'applications_closed' })]);
    expect((await get('/api/v1/recruitments/vc-2022/pipeline?asOf=2022-11-10').expect(200)).body.status).toBe('open');
    expect(log.status).toBe('in_progress');
    expect((await get('/api/v1/inspections/kt-2022/log?asOf=2022-05-01').expect(200)).body.status).toBe('planned');
    expect(log.visitsByUnit.find((u: { unitId: string }) => u.unitId === UNITS.namBinh).findings).toEqual([
      { on: '2022-05-12', finding: 'Chấp hành tốt quy định', requiresAction: null }, { on: '2022-09-01', finding: 'Chấp hành tốt quy định', requiresAction: null },
    ]);
    expect((await get(`/api/v1/inspections/kt-2022/log?unitId=${UNITS.ducAn}`).expect(200)).body).toMatchObject({ visits: [{ unitId: UNITS.ducAn }], coverage: { targets: 1, inspected: 1 } });

    // A withdrawn application still counts as received, and is counted apart.
    const withdrawn = await t.post('/api/v1/recruitments/vc-2022/events', examples.applicationWithdrawn({ applicationId: 'A1', occurredAt: '2022-11-30' })).expect(201);
    const after = (await get(`/api/v1/recruitments/vc-2022/pipeline?minPosition=${withdrawn.body.globalPosition}`).expect(200)).body;
    expect(after.totals).toMatchObject({ applications: 2, withdrawn: 1, eligible: 1 });
    expect(after.positions[0]).toMatchObject({ applications: 2, withdrawn: 1 });

    const register = (await get('/api/v1/legal-documents?year=2022').expect(200)).body;
    expect(register.counts).toEqual({ drafted: 1, appraised: 1, issued: 0, inForce: 0, expired: 0 });
    // A unit's register: what it drafts or issues, and the drafts being prepared under it (Phòng Nội vụ's, for the district).
    const count = async (unitId: string) => (await get(`/api/v1/legal-documents?year=2022&unitId=${unitId}`).expect(200)).body.documents.length;
    expect([await count(UNITS.homeAffairs), await count(UNITS.district), await count(UNITS.justice)]).toEqual([1, 1, 0]);
  });

  describe('audit', () => {
    it('is for inspectors and admins only', async () => {
      expect((await get('/api/v1/audit/verify', 'demo-manager')).status).toBe(403);
      expect((await get('/api/v1/audit/verify', `demo-dept-${UNITS.homeAffairs}`)).status).toBe(403);
      const stored = Number((await t.db.pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
      expect((await get('/api/v1/audit/verify', 'demo-inspector').expect(200)).body).toMatchObject({ ok: true, checked: stored, unsignedBeforeSigning: 0 });
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

    it('gives each event with the record\'s state before and after it, folded by the domain\'s evolve', async () => {
      const { events } = (await get('/api/v1/audit/streams/task:T-07?withStates=true', 'demo-inspector').expect(200)).body;
      expect(events[0]).toMatchObject({ type: 'TaskDefined', stateBefore: { status: 'absent' }, stateAfter: { status: 'open', leadUnitId: UNITS.homeAffairs, dueOn: '2022-11-30' } });
      expect(events[1]).toMatchObject({ type: 'TaskCompleted', stateBefore: { status: 'open' }, stateAfter: { status: 'done', completedOn: '2022-11-20' } });
      expect((await get('/api/v1/audit/streams/task:T-07', 'demo-inspector').expect(200)).body.events[0]).not.toHaveProperty('stateAfter');
      expect((await get('/api/v1/audit/streams/task:T-07?withStates=yes', 'demo-inspector')).status).toBe(400);
      expect((await get('/api/v1/audit/streams/widget:T-07', 'demo-inspector')).status).toBe(400);
    });

    it('lists activity by the unit responsible for the record (ownerUnit), whoever recorded it', async () => {
      const streams = async (unit: string) => [...new Set((await get(`/api/v1/audit/activity?ownerUnit=${unit}`, 'demo-inspector').expect(200)).body.events
        .map((e: { streamId: string }) => e.streamId))].sort();
      const homeAffairs = await streams(UNITS.homeAffairs);
      expect(homeAffairs).toEqual(expect.arrayContaining(['task:T-07', 'task:T-08', 'task:T-09', 'task:T-10', 'inspection:kt-2022', 'recruitment:vc-2022',
        'legal-document:q-01', `unit:${UNITS.homeAffairs}`]));
      expect(homeAffairs).not.toContain('plan:cchc-2022');
      // T-09 was reassigned to Phòng Tư pháp on 01/07: it is in both units' trails.
      expect(await streams(UNITS.justice)).toEqual(expect.arrayContaining(['task:T-09', `unit:${UNITS.justice}`]));
      expect(await streams(UNITS.justice)).not.toContain('task:T-07');
      expect(await streams(UNITS.district)).toEqual(expect.arrayContaining(['plan:cchc-2022', `document:${examples.DOCUMENTS.plan2022}`]));
    });

    it('diffs every view between two cuts, keyed by its record, with the entities that changed and the events between', async () => {
      const now = encodeURIComponent(new Date().toISOString());
      const diff = (query: string) => get(`/api/v1/audit/diff?${query}&from=0&to=${now}`, 'demo-inspector');
      const log = (await diff('view=inspection-log&inspectionId=kt-2022').expect(200)).body;
      expect(log).toMatchObject({ view: 'inspection-log', inspectionId: 'kt-2022', from: { cut: { position: 0 } }, to: { status: 'in_progress', coverage: { inspected: 2 } } });
      expect(log.changed.map((c: { unitId: string }) => c.unitId)).toEqual([UNITS.namBinh, UNITS.ducAn].sort());
      expect(log.events.map((e: { type: string }) => e.type)).toEqual(['InspectionPlanned', 'InspectionTeamFormed', 'UnitInspected', 'UnitInspected', 'UnitInspected']);
      const drive = (await diff('view=recruitment-pipeline&recruitmentId=vc-2022').expect(200)).body;
      expect(drive.changed).toEqual([
        { applicationId: 'A1', before: null, after: expect.objectContaining({ status: 'withdrawn' }) },
        { applicationId: 'A2', before: null, after: expect.objectContaining({ status: 'ineligible' }) },
      ]);
      const register = (await diff('view=legal-register&year=2022').expect(200)).body;
      expect(register).toMatchObject({ year: '2022', to: { counts: { drafted: 1 } }, changed: [{ legalDocumentId: 'q-01', before: null, after: expect.objectContaining({ status: 'draft' }) }] });
      expect(register.events.map((e: { streamId: string }) => e.streamId)).toEqual(['legal-document:q-01', 'legal-document:q-01']);
      const missing = await get('/api/v1/audit/diff?view=inspection-log', 'demo-inspector');
      expect(missing.body.errors).toEqual([{ field: 'inspectionId', reason: 'là tham số bắt buộc' }]);
      expect((await get('/api/v1/audit/diff?view=registry&planId=x', 'demo-inspector')).body.errors[0].reason).toContain('plan-progress, inspection-log, recruitment-pipeline, legal-register');
      expect((await get('/api/v1/audit/diff?view=plan-progress&planId=khong-co', 'demo-inspector')).status).toBe(404);
    });

    it('exports a bundle that verifies offline', async () => {
      const res = await get('/api/v1/audit/export', 'demo-inspector').buffer(true).parse((r, callback) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => callback(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type']).toBe('application/x-tar');
      const trustedHead = (await get('/api/v1/audit/tree-head', 'demo-inspector').expect(200)).body;
      const verdict = await verifyBundle(res.body as Buffer, { trustedHead });
      expect(verdict).toMatchObject({ ok: true, manifest: { ledgerVerified: { ok: true } }, unsignedBeforeSigning: 0 });
      expect(verdict.checks).toEqual(expect.arrayContaining(['append signatures', 'signed tree heads']));
      expect(verdict.checked).toBe(verdict.manifest!.count);
      expect(verdict.checked).toBeGreaterThan(20);
    });
  });

  it('answers every read route at every kind of cut, echoing it', async () => {
    const head = await latest();
    await fresh('/api/v1/plans');
    const knownAt = new Date().toISOString();
    const routes = ['/api/v1/plans?year=2022', '/api/v1/plans/cchc-2022/progress', '/api/v1/plans/cchc-2022/tasks', '/api/v1/inspections?year=2022',
      '/api/v1/inspections/kt-2022/log', '/api/v1/recruitments?year=2022', '/api/v1/recruitments/vc-2022/pipeline', '/api/v1/legal-documents?year=2022',
      '/api/v1/documents'];
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

  it('lists the document register at a cut, newest first: by the unit that issued or registered it, by words of its number or title without diacritics', async () => {
    const { DOCUMENTS } = examples;
    const before = await latest();
    const appraisal = await t.post(`/api/v1/documents/${DOCUMENTS.appraisal01}/events`, examples.documentRegistered({
      occurredAt: '2022-03-02', reference: '01/BCTĐ-PTP', issuerUnitId: UNITS.justice, documentType: 'bao_cao_tham_dinh', title: 'Báo cáo thẩm định dự thảo quy chế',
    }), { token: `demo-dept-${UNITS.justice}` }).expect(201);
    const ids = async (query: string) => (await get(`/api/v1/documents?minPosition=${appraisal.body.globalPosition}${query}`, `demo-dept-${UNITS.culture}`).expect(200))
      .body.documents.map((d: { documentId: string }) => d.documentId);
    const all = (await get(`/api/v1/documents?minPosition=${appraisal.body.globalPosition}`).expect(200)).body;
    expect(all).toMatchObject({ total: 2, cut: { asOf: null, knownAt: null } });
    expect(all.documents).toEqual([
      { documentId: DOCUMENTS.appraisal01, reference: '01/BCTĐ-PTP', documentType: 'bao_cao_tham_dinh', documentTypeName: 'Báo cáo thẩm định', date: '2022-03-02', issuerUnitId: UNITS.justice, title: 'Báo cáo thẩm định dự thảo quy chế' },
      { documentId: DOCUMENTS.plan2022, reference: '39/QĐ-UBND', documentType: 'quyet_dinh', documentTypeName: 'Quyết định', date: '2022-01-10', issuerUnitId: UNITS.district, title: 'Phê duyệt Kế hoạch Cải cách hành chính năm 2022' },
    ]);
    expect(await ids(`&unitId=${UNITS.justice}`)).toEqual([DOCUMENTS.appraisal01]);
    expect(await ids(`&unitId=${UNITS.district}`)).toEqual([DOCUMENTS.plan2022]);
    expect(await ids(`&unitId=${UNITS.culture}`)).toEqual([]);
    expect(await ids(`&q=${encodeURIComponent('39/qd')}`)).toEqual([DOCUMENTS.plan2022]);
    expect(await ids(`&q=${encodeURIComponent('THAM DINH  quy chế')}`)).toEqual([DOCUMENTS.appraisal01]);
    expect(await ids(`&q=${encodeURIComponent('kế hoạch cải cách'.normalize('NFD'))}`)).toEqual([DOCUMENTS.plan2022]);
    expect(await ids('&q=2022')).toEqual([DOCUMENTS.appraisal01, DOCUMENTS.plan2022]);
    expect(await ids('&q=nghi-quyet')).toEqual([]);
    expect((await get('/api/v1/documents?limit=1').expect(200)).body).toMatchObject({ total: 2, documents: [{ documentId: DOCUMENTS.appraisal01 }] });
    expect(await ids(`&position=${before}`)).toEqual([DOCUMENTS.plan2022]);
    expect(await ids('&asOf=2022-02-01')).toEqual([DOCUMENTS.plan2022]);
    // Refusals name the parameter, in Vietnamese.
    const blank = (await get('/api/v1/documents?q=%20').expect(400)).body;
    expect(blank.errors).toEqual([{ field: 'q', reason: 'phải dài từ 1 đến 100 ký tự' }]);
    const unknown = (await get('/api/v1/documents?Q=ke').expect(400)).body;
    expect(unknown.detail).toContain('có phải ý bạn là q?');
    expect((await get('/api/v1/documents?year=2022').expect(400)).body.errors[0].field).toBe('year');
  });

  it('lists the ledger\'s marks (none here: this ledger has no seed district)', async () => {
    expect((await get('/api/v1/ledger/marks').expect(200)).body).toEqual({ marks: [] });
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
    expect(after.generations).toEqual([{ generation: before.generations[0].generation + 1, version: 2, status: 'active', checkpoint: expect.any(Number) }]);
    expect((await fresh('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30')).body).toEqual(answer);
    expect((await request(t.app.getHttpServer()).post('/api/v1/admin/views/nope/rebuild').set('Authorization', 'Bearer demo-admin')).status).toBe(404);
  }, 20_000);

  it('rebuilds four views asked at once: each finishes and swaps while the API keeps answering; a view asked again meanwhile is 409', async () => {
    const server = t.app.getHttpServer();
    const views = ['plan-progress', 'inspection-log', 'recruitment-pipeline', 'legal-register'];
    type AdminView = { view: string; generations: { generation: number; status: string }[]; rebuilding: unknown };
    const state = async () => (await get('/api/v1/admin/views', 'demo-admin').expect(200)).body.views as AdminView[];
    const active = (all: AdminView[], view: string) => all.find((v) => v.view === view)!.generations.find((g) => g.status === 'active')!.generation;
    const before = await state();
    const asked = await Promise.all(views.map((v) => request(server).post(`/api/v1/admin/views/${v}/rebuild`).set('Authorization', 'Bearer demo-admin')));
    expect(asked.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    // The last one waits behind three rebuilds: asked again, it is refused.
    const again = await request(server).post(`/api/v1/admin/views/${views[3]}/rebuild`).set('Authorization', 'Bearer demo-admin');
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'view.rebuilding' });
    // Answering while the rebuilds run (four at once used to starve the read store's pool: nothing answered, /health included).
    const answered: number[] = [(await request(server).get('/health')).status, (await get('/api/v1/plans?year=2022')).status];
    let after = await state();
    for (let i = 0; i < 400 && (after.some((v) => v.rebuilding) || views.some((v) => active(after, v) === active(before, v))); i++) {
      answered.push((await request(server).get('/health')).status, (await get('/api/v1/plans?year=2022')).status);
      after = await state();
    }
    expect(views.map((v) => active(after, v) > active(before, v))).toEqual([true, true, true, true]);
    expect(after.filter((v) => v.rebuilding)).toEqual([]);
    expect(answered.filter((s) => s !== 200)).toEqual([]);
  }, 60_000);
});
