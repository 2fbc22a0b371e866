import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { localDayOf } from '@reform-ledger/calendar';
import { examples } from '@reform-ledger/domain';
import { openDatabase } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, freshKey, poster, seedSkeleton, startApp } from '../testing';

const { UNITS, DOCUMENTS } = examples;
const PROBLEM = /^application\/problem\+json/;

describe.each(testEngines())('command API v1 on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  // Counted, not ledger.headPosition(): the gap-free head can trail by a projector transaction in flight.
  const head = async () => Number((await t.db.pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);

  beforeAll(async () => {
    await seedSkeleton(t.app);
  }, 60_000);

  describe('recording an event', () => {
    it('answers 201 with the envelope and the version as ETag; a retry with the same key returns the same body and stores nothing', async () => {
      const key = freshKey();
      const body = examples.taskProgressReported();
      const first = await t.post('/api/v1/tasks/T-07/events', body, { key }).expect(201);
      expect(first.body).toEqual({
        streamId: 'task:T-07',
        streamVersion: expect.any(Number),
        globalPosition: expect.any(Number),
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(first.headers.etag).toBe(`"${first.body.streamVersion}"`);
      const before = await head();
      const retry = await t.post('/api/v1/tasks/T-07/events', body, { key }).expect(201);
      expect(retry.body).toEqual(first.body);
      expect(await head()).toBe(before);
    });

    it('puts the actor (key, unit, role) and a correlation id into the event metadata', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ note: 'Đang triển khai' }), { token: `demo-dept-${UNITS.homeAffairs}` }).expect(201);
      const [event] = await t.ledger.readStream('task:T-07', { fromVersion: res.body.streamVersion });
      expect(event.actor).toEqual({ keyId: `demo-dept-${UNITS.homeAffairs}`, unitId: UNITS.homeAffairs, role: 'department' });
      expect(event.correlationId).toEqual(expect.any(String));
    });

    it('stores Vietnamese text NFC-normalised: a decomposed name comes back composed, byte for byte', async () => {
      const name = 'UBND xã Đắk N’Drung';
      await t.post('/api/v1/units/ubnd-xa-dak-n-drung/events', examples.unitRegistered({ name: name.normalize('NFD'), kind: 'commune' })).expect(201);
      const [event] = await t.ledger.readStream('unit:ubnd-xa-dak-n-drung');
      expect((event.data as { name: string }).name).toBe(name.normalize('NFC'));
    });

    it('records on every collection', async () => {
      const steps: [string, unknown][] = [
        [`/api/v1/documents/${DOCUMENTS.inspectionReport}/events`, examples.documentRegistered({ reference: '399/BC-ĐKT', documentType: 'bao_cao', occurredAt: '2022-11-29' })],
        ['/api/v1/plans/cchc-2022/events', examples.planAmended()],
        ['/api/v1/inspections/kt-cchc-2022/events', examples.inspectionPlanned()],
        ['/api/v1/inspections/kt-cchc-2022/events', examples.unitInspected()],
        ['/api/v1/inspections/kt-cchc-2022/events', examples.inspectionConcluded()],
        ['/api/v1/legal-documents/qppl-2022-01/events', examples.draftRegistered()],
        ['/api/v1/legal-documents/qppl-2022-01/events', examples.draftAppraised()],
        ['/api/v1/recruitments/vien-chuc-2022/events', examples.recruitmentPlanApproved()],
        ['/api/v1/recruitments/vien-chuc-2022/events', examples.noticePublished()],
        ['/api/v1/recruitments/vien-chuc-2022/events', examples.applicationReceived()],
        ['/api/v1/units/phong-van-hoa-thong-tin/events', examples.unitAliasAdded({ alias: 'Phòng VH-TT' })],
      ];
      for (const [path, body] of steps) {
        const res = await t.post(path, body);
        expect({ path, status: res.status, body: res.body }).toMatchObject({ path, status: 201 });
      }
    });
  });

  describe('errors are problem+json with a stable code and the fields at fault', () => {
    const expectProblem = (res: request.Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ type: `/problems/${code}`, title: expect.any(String), status, detail: expect.any(String), code, errors: expect.any(Array) });
    };

    it('400 for an unknown type, listing the allowed types', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', { type: 'TaskFinished', occurredAt: '2022-11-20', data: {} });
      expectProblem(res, 400, 'request.invalid');
      expect(res.body.errors).toEqual([{ field: 'type', reason: expect.stringContaining('TaskDefined, TaskReassigned, TaskDueChanged, TaskProgressReported, TaskCompleted, TaskReopened, TaskCancelled') }]);
    });

    it('400 for an extra field, in the envelope and in data', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', { ...examples.taskCompleted(), actor: 'x', data: { note: 'x', completedBy: 'me' } });
      expectProblem(res, 400, 'request.invalid');
      expect(res.body.errors).toEqual(expect.arrayContaining([
        { field: 'actor', reason: expect.any(String) },
        { field: 'data.completedBy', reason: 'không phải là trường ở đây; các trường được nhận: evidenceDocumentId, note' },
      ]));
    });

    it('400 for the impossible date 31/11/2022, in occurredAt or in data; nothing stored', async () => {
      const before = await head();
      const a = await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted({ occurredAt: '2022-11-31' }));
      expectProblem(a, 400, 'request.invalid');
      expect(a.body.errors).toEqual([{ field: 'occurredAt', reason: expect.any(String) }]);
      const b = await t.post('/api/v1/tasks/T-07/events', examples.taskDueChanged({ dueOn: '2022-11-31' }));
      expect(b.body.errors).toEqual([{ field: 'data.dueOn', reason: 'ngày 31 không có trong tháng 11/2022 (tháng 11 có 30 ngày)' }]);
      expect(await head()).toBe(before);
    });

    it('400 without an Idempotency-Key, with a bad If-Match, or with malformed JSON', async () => {
      const a = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { key: null });
      expectProblem(a, 400, 'request.invalid');
      expect(a.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
      const b = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { ifMatch: 'soon' });
      expect(b.body.errors).toEqual([{ field: 'If-Match', reason: expect.any(String) }]);
      expectProblem(await t.post('/api/v1/tasks/T-07/events', '{"type": "TaskCompleted",'), 400, 'request.malformed_json');
    });

    it('401 without credentials or with an unknown key', async () => {
      expectProblem(await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { token: null }), 401, 'auth.missing');
      expectProblem(await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { token: 'nope' }), 401, 'auth.invalid_key');
    });

    it('403 when a department writes another unit\'s task, and for a reading role', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted(), { token: `demo-dept-${UNITS.justice}` });
      expectProblem(res, 403, 'auth.not_your_record');
      expect(res.body.detail).toContain(UNITS.homeAffairs);
      expectProblem(await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted(), { token: 'demo-manager' }), 403, 'auth.role_forbidden');
      // A reading role is refused before anything about the record is revealed.
      expectProblem(await t.post('/api/v1/tasks/T-404/events', examples.taskCompleted(), { token: 'demo-inspector' }), 403, 'auth.role_forbidden');
    });

    it('404 for an unknown record when the event does not create one, and for an unknown collection', async () => {
      expectProblem(await t.post('/api/v1/tasks/T-404/events', examples.taskCompleted()), 404, 'task.not_found');
      expectProblem(await t.post('/api/v1/widgets/x/events', examples.taskCompleted()), 404, 'route.not_found');
    });

    it('409 for a stale If-Match, with the current version', async () => {
      const version = await t.ledger.streamVersion('task:T-07');
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { ifMatch: `"${version - 1}"` });
      expectProblem(res, 409, 'version_conflict');
      expect(res.body.currentVersion).toBe(version);
    });

    it('413 for a body over the limit', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted({ note: 'x'.repeat(2_000_000) }));
      expectProblem(res, 413, 'request.too_large');
    });

    it('422 for a domain refusal: a second completion, a symbol year that contradicts the date', async () => {
      await t.post('/api/v1/tasks/T-08/events', examples.taskDefined()).expect(201);
      await t.post('/api/v1/tasks/T-08/events', examples.taskCompleted()).expect(201);
      const res = await t.post('/api/v1/tasks/T-08/events', examples.taskCompleted());
      expectProblem(res, 422, 'task.already_completed');
      const doc = await t.post('/api/v1/documents/ubnd-tinh-dak-nong.2021.1.tt-vpcp/events',
        examples.documentRegistered({ reference: '01/2020/TT-VPCP', occurredAt: '2021-10-21', issuerUnitId: UNITS.province, documentType: 'thong_tu' }));
      expectProblem(doc, 422, 'document.year_mismatch');
      expect(doc.body.detail).toContain('2020');
    });

    it('422 when a key is reused for a different request', async () => {
      const key = freshKey();
      await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { key }).expect(201);
      expectProblem(await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ note: 'khác' }), { key }), 422, 'idempotency_key.reused');
    });
  });

  describe('errors speak the user\'s language and say what to do', () => {
    const JARGON = /property|should not exist|either object or array|constraint|must be a string|isString|whitelist/i;
    const en = (path: string, body: unknown, options = {}) => t.post(path, body, options).set('Accept-Language', 'en');

    it('answers in Vietnamese by default and in English with Accept-Language: en; code stays the same', async () => {
      const vi = await t.post('/api/v1/tasks/T-07/events', examples.taskDueChanged({ dueOn: '2022-11-31' }));
      expect(vi.body).toMatchObject({ title: 'Yêu cầu không hợp lệ', code: 'request.invalid', errors: [{ field: 'data.dueOn', reason: expect.stringContaining('tháng 11 có 30 ngày') }] });
      expect(vi.headers['content-language']).toBe('vi');
      const english = await en('/api/v1/tasks/T-07/events', examples.taskDueChanged({ dueOn: '2022-11-31' }));
      expect(english.body).toMatchObject({ title: 'The request is invalid', code: 'request.invalid' });
      expect(english.body.errors[0].reason).toBe('day 31 does not exist in 2022-11 (that month has 30 days)');
      expect(english.headers['content-language']).toBe('en');
      const preferred = await t.post('/api/v1/tasks/T-07/events', examples.taskDueChanged({ dueOn: '2022-11-31' })).set('Accept-Language', 'fr;q=0.9, en;q=0.8, vi;q=0.1');
      expect(preferred.body.title).toBe('The request is invalid');
    });

    it('says how to write a day-first date and what a datetime lacks', async () => {
      const dayFirst = await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted({ occurredAt: '30/11/2022' }));
      expect(dayFirst.body.errors).toEqual([{ field: 'occurredAt', reason: 'hãy viết theo dạng YYYY-MM-DD: 2022-11-30' }]);
      const noZone = await en('/api/v1/tasks/T-07/events', examples.taskCompleted({ occurredAt: '2022-11-30T10:00:00' }));
      expect(noZone.body.errors[0].reason).toContain('2022-11-30T10:00:00+07:00');
    });

    it('explains a missing Idempotency-Key: a header, with an example', async () => {
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { key: null });
      expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.stringMatching(/^thiếu header Idempotency-Key: .*ví dụ Idempotency-Key: /) }]);
      expect((await en('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { key: null })).body.errors[0].reason).toMatch(/header is missing.*e\.g\. Idempotency-Key: /);
    });

    it('lists the allowed fields for an unknown one, and never speaks class-validator', async () => {
      const bodies: unknown[] = [
        { ...examples.taskProgressReported(), data: { progress: 5 } },
        { ...examples.taskProgressReported(), data: { progress: { numerator: 'ba', denominator: 5, percent: 60 } } },
        { ...examples.taskProgressReported(), data: { progress: { denominator: 5 }, notes: 'x' } },
        { ...examples.taskDefined(), data: { ...examples.taskDefined().data, supportingUnitIds: 'phong-tu-phap', title: '' } },
      ];
      const reasons: string[] = [];
      for (const body of bodies) {
        for (const lang of ['vi', 'en']) {
          const res = await t.post('/api/v1/tasks/T-07/events', body).set('Accept-Language', lang);
          expect(res.status).toBe(400);
          reasons.push(...res.body.errors.map((e: { reason: string }) => e.reason));
        }
      }
      expect(reasons.filter((r) => JARGON.test(r))).toEqual([]);
      const [notObject, , missing] = await Promise.all(bodies.slice(0, 3).map((b) => t.post('/api/v1/tasks/T-07/events', b)));
      expect(notObject.body.errors).toEqual([{ field: 'data.progress', reason: 'phải là một đối tượng JSON { … }' }]);
      expect(missing.body.errors).toEqual(expect.arrayContaining([
        { field: 'data.notes', reason: 'không phải là trường ở đây; các trường được nhận: progress, note' },
        { field: 'data.progress.numerator', reason: 'là trường bắt buộc' },
      ]));
    });

    it('names the right collection for an event type sent to the wrong one', async () => {
      const res = await en('/api/v1/tasks/T-07/events', examples.planIssued());
      expect(res.body.errors).toEqual([{ field: 'type', reason: expect.stringContaining('PlanIssued is an event of a plan: post it to /api/v1/plans/{id}/events') }]);
    });

    it('states the limit of a 413', async () => {
      const res = await en('/api/v1/tasks/T-07/events', examples.taskCompleted({ note: 'x'.repeat(2_000_000) }));
      expect(res.status).toBe(413);
      expect(res.body.detail).toContain('limit of 256 KiB');
      const vi = await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted({ note: 'x'.repeat(2_000_000) }));
      expect(vi.body.detail).toContain('giới hạn 256 KiB');
    });

    it('writes a domain refusal from its code and facts, in either language', async () => {
      await t.post('/api/v1/tasks/T-50/events', examples.taskDefined()).expect(201);
      await t.post('/api/v1/tasks/T-50/events', examples.taskCompleted()).expect(201);
      const vi = await t.post('/api/v1/tasks/T-50/events', examples.taskCompleted());
      expect(vi.body).toMatchObject({ code: 'task.already_completed', title: 'Bị từ chối theo quy tắc nghiệp vụ', detail: 'Nhiệm vụ T-50 đã hoàn thành ngày 20/11/2022: muốn ghi lại, hãy mở lại nhiệm vụ (TaskReopened) trước.' });
      const english = await en('/api/v1/tasks/T-50/events', examples.taskCompleted());
      expect(english.body.detail).toBe('Task T-50 was completed on 2022-11-20; reopen it (TaskReopened) first.');
    });
  });

  describe('what happened cannot be in the future', () => {
    const today = () => localDayOf(new Date());
    it('refuses a fact dated in 2030 with 422 occurred_at.in_future, storing nothing', async () => {
      const before = await head();
      const res = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ occurredAt: '2030-01-01' }));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'occurred_at.in_future', errors: [{ field: 'occurredAt', reason: expect.stringContaining('01/01/2030') }] });
      expect(await head()).toBe(before);
    });
    it('accepts a fact dated today (a Vietnamese day) and a moment a few minutes ahead; refuses one further ahead', async () => {
      await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ occurredAt: today() })).expect(201);
      await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ occurredAt: new Date(Date.now() + 3 * 60_000).toISOString() })).expect(201);
      const ahead = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() }));
      expect(ahead.body.code).toBe('occurred_at.in_future');
    });
    it('lets planned dates lie ahead: a due date in 2030 is accepted', () =>
      t.post('/api/v1/tasks/T-07/events', examples.taskDueChanged({ dueOn: '2030-12-31', occurredAt: today() })).expect(201));
    it('refuses a future item of a batch, naming it, and records none of the batch', async () => {
      const before = await head();
      const res = await t.post('/api/v1/events:batch', [
        { stream: { kind: 'task', id: 'T-07' }, ...examples.taskProgressReported(), idempotencyKey: freshKey() },
        { stream: { kind: 'task', id: 'T-07' }, ...examples.taskProgressReported({ occurredAt: '2030-01-01' }), idempotencyKey: freshKey() },
      ]);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: '[1].occurredAt', code: 'occurred_at.in_future' })]);
      expect(await head()).toBe(before);
    });
  });

  it('lets exactly one of 20 concurrent writes with the same If-Match through; the others get 409', async () => {
    const version = await t.ledger.streamVersion('task:T-07');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ note: `lần ${i}` }), { ifMatch: `"${version}"` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.currentVersion === version + 1)).toBe(true);
    expect(await t.ledger.streamVersion('task:T-07')).toBe(version + 1);
  });

  describe('batch', () => {
    const item = (kind: string, id: string, event: object, key = freshKey()) => ({ stream: { kind, id }, ...event, idempotencyKey: key });

    it('records every submission in order, and a retried batch returns the same results', async () => {
      const items = [
        item('task', 'T-20', examples.taskDefined()),
        item('tasks', 'T-20', examples.taskCompleted()),
        item('task', 'T-21', examples.taskDefined({ leadUnitId: UNITS.justice })),
      ];
      const res = await t.post('/api/v1/events:batch', items).expect(201);
      expect(res.body.results.map((r: { streamId: string; streamVersion: number }) => [r.streamId, r.streamVersion]))
        .toEqual([['task:T-20', 1], ['task:T-20', 2], ['task:T-21', 1]]);
      const before = await head();
      expect((await t.post('/api/v1/events:batch', { submissions: items }).expect(201)).body).toEqual(res.body);
      expect(await head()).toBe(before);
    });

    it('records nothing when one submission is refused, and names each refused item', async () => {
      const before = await head();
      const res = await t.post('/api/v1/events:batch', [
        item('task', 'T-30', examples.taskDefined()),
        item('task', 'T-30', examples.taskCompleted()),
        item('task', 'T-30', examples.taskCompleted()),
        item('task', 'T-31', examples.taskDefined({ planId: 'cchc-2030' })),
      ]);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: '[2]', code: 'task.already_completed' }),
        expect.objectContaining({ field: '[3].data.planId', code: 'task.plan_not_issued' }),
      ]);
      expect(await head()).toBe(before);
      expect(await t.ledger.streamVersion('task:T-30')).toBe(0);
    });

    it('validates every item before recording any', async () => {
      const res = await t.post('/api/v1/events:batch', [
        item('task', 'T-40', examples.taskDefined({ dueOn: '2022-02-30' })),
        item('widget', 'x', examples.taskDefined()),
        { ...item('task', 'T-41', examples.taskDefined()), idempotencyKey: undefined },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['[0].data.dueOn', '[1].stream.kind', '[2].idempotencyKey']);
    });

    it('refuses more than 1,000 submissions with 413', async () => {
      const items = Array.from({ length: 1001 }, (_, i) => item('task', `T-${i}`, examples.taskDefined()));
      expect((await t.post('/api/v1/events:batch', items)).status).toBe(413);
    });
  });

  describe('API keys', () => {
    it('issues a key bound to a unit and role, which then writes; a revoked key is refused with 401', async () => {
      const issued = await t.post('/api/v1/admin/api-keys', { role: 'department', unitId: UNITS.homeAffairs, label: 'Phòng Nội vụ – máy chủ' }).expect(201);
      expect(issued.body).toMatchObject({ keyId: expect.stringMatching(/^key_/), token: expect.stringMatching(/^rl_/), role: 'department', unitId: UNITS.homeAffairs });
      await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { token: issued.body.token }).expect(201);
      const list = await request(t.app.getHttpServer()).get('/api/v1/admin/api-keys').set('Authorization', 'Bearer demo-admin').expect(200);
      expect(JSON.stringify(list.body)).not.toContain(issued.body.token);
      await request(t.app.getHttpServer()).delete(`/api/v1/admin/api-keys/${issued.body.keyId}`).set('Authorization', 'Bearer demo-admin').expect(200);
      const refused = await t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { token: issued.body.token });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('auth.revoked_key');
    });

    it('refuses a revoked key at once in the process that revoked it, and in another once its trust in the key expires (keyCacheMs)', async () => {
      const issued = await t.post('/api/v1/admin/api-keys', { role: 'department', unitId: UNITS.homeAffairs }).expect(201);
      // Two more processes on the same database: one that trusts a verified key for no time, one for an hour.
      const others = await Promise.all([0, 3_600_000].map(async (keyCacheMs) =>
        startApp(await openDatabase({ databaseUrl: t.db.url, migrate: false }), { keyCacheMs, projector: false })));
      try {
        const write = (app: INestApplication) => poster(app)('/api/v1/tasks/T-07/events', examples.taskProgressReported(), { token: issued.body.token });
        for (const app of [t.app, ...others]) expect((await write(app)).status).toBe(201);
        await request(others[1].getHttpServer()).delete(`/api/v1/admin/api-keys/${issued.body.keyId}`).set('Authorization', 'Bearer demo-admin').expect(200);
        // The revoking process at once, though it trusts a verified key for an hour; another process once its trust expires (here at once).
        expect([(await write(others[1])).status, (await write(others[0])).status]).toEqual([401, 401]);
      } finally {
        await Promise.all(others.map((app) => app.close()));
      }
    });

    it('stores only a hash of each token', async () => {
      const issued = await t.post('/api/v1/admin/api-keys', { role: 'manager' }).expect(201);
      const { rows } = await t.db.pool.query(`SELECT * FROM api_keys WHERE key_id = $1`, [issued.body.keyId]);
      expect(JSON.stringify(rows)).not.toContain(issued.body.token);
    });

    it('refuses a department key without a unit, and a unit that is not registered', async () => {
      expect((await t.post('/api/v1/admin/api-keys', { role: 'department' })).body.errors).toEqual([{ field: 'unitId', reason: expect.any(String) }]);
      expect((await t.post('/api/v1/admin/api-keys', { role: 'department', unitId: 'khong-co' })).status).toBe(422);
      expect((await t.post('/api/v1/admin/api-keys', { role: 'root' })).status).toBe(400);
    });

    it('has no demo key for an unregistered unit', async () => {
      expect((await t.post('/api/v1/tasks/T-07/events', examples.taskCompleted(), { token: 'demo-dept-khong-co' })).status).toBe(401);
    });
  });

  describe('who may do what (role × route)', () => {
    const dept = `demo-dept-${UNITS.homeAffairs}`;
    const other = `demo-dept-${UNITS.justice}`;
    // Each row: the route, then the status each role gets. Writes that would pass use fresh records.
    const matrix: [string, (token: string, n: number) => Promise<request.Response>, Record<string, number>][] = [
      ['POST units/{id}/events', (token, n) => t.post(`/api/v1/units/u-${n}/events`, examples.unitRegistered({ name: `Đơn vị ${n}` }), { token }),
        { 'demo-admin': 201, [dept]: 403, 'demo-manager': 403, 'demo-inspector': 403 }],
      ['POST tasks/{id}/events (own task)', (token, n) => t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ note: `${n}` }), { token }),
        { 'demo-admin': 201, [dept]: 201, [other]: 403, 'demo-manager': 403, 'demo-inspector': 403 }],
      ['POST legal-documents/{id}/events (own draft)', (token, n) => t.post(`/api/v1/legal-documents/d-${n}/events`, examples.draftRegistered(), { token }),
        { 'demo-admin': 201, [dept]: 201, [other]: 403, 'demo-manager': 403 }],
      ['POST documents/{id}/events', (token, n) => t.post(`/api/v1/documents/ubnd-dak-song.2022.${n}.cv-ubnd/events`,
        examples.documentRegistered({ reference: `${n}/CV-UBND`, documentType: 'cong_van' }), { token }),
        // The district's letter: registered by the district or by the unit keeping the register, not by Phòng Nội vụ.
        { 'demo-admin': 201, [dept]: 403, 'demo-manager': 403, 'demo-inspector': 403 }],
      ['POST events:batch', (token, n) => t.post('/api/v1/events:batch', [{ stream: { kind: 'task', id: 'T-07' }, ...examples.taskProgressReported({ note: `b${n}` }), idempotencyKey: freshKey() }], { token }),
        { 'demo-admin': 201, [dept]: 201, [other]: 403, 'demo-manager': 403 }],
      ['POST admin/api-keys', (token) => t.post('/api/v1/admin/api-keys', { role: 'manager' }, { token }),
        { 'demo-admin': 201, [dept]: 403, 'demo-manager': 403, 'demo-inspector': 403 }],
      ['GET admin/api-keys', (token) => request(t.app.getHttpServer()).get('/api/v1/admin/api-keys').set('Authorization', `Bearer ${token}`),
        { 'demo-admin': 200, [dept]: 403, 'demo-manager': 403, 'demo-inspector': 403 }],
    ];
    let n = 1000;
    it.each(matrix.flatMap(([route, call, expected]) => Object.entries(expected).map(([token, status]) => ({ route, token, status, call }))))(
      '$route as $token → $status', async ({ call, token, status }) => {
        const res = await call(token, n++);
        expect({ status: res.status, code: res.body.code }).toMatchObject({ status });
      });
  });

  it('serves the OpenAPI document with every event type and an example of each', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    const op = res.body.paths['/api/v1/{collection}/{id}/events'].post;
    expect(Object.keys(op.requestBody.content['application/json'].examples)).toHaveLength(38); // every event type, and the default that works on the seed
    expect(res.body.components.schemas.TaskDefinedData.properties.dueOn).toMatchObject({ type: 'string', format: 'date' });
    expect(res.body.paths['/api/v1/events:batch']).toBeDefined();
    await request(t.app.getHttpServer()).get('/docs').expect(200);
  });
});
