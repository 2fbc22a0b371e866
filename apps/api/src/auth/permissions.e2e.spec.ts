import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, freshKey, seedSkeleton } from '../testing';

const { UNITS, DOCUMENTS } = examples;
const OWN = `demo-dept-${UNITS.homeAffairs}`; // leads task T-07
const OTHER = `demo-dept-${UNITS.justice}`;
const OFFICE = `demo-dept-${UNITS.office}`; // keeps the register of incoming documents

type Role = 'none' | 'bad' | 'revoked' | 'own department' | 'other department' | 'manager' | 'inspector' | 'admin';
const ROLES: Role[] = ['none', 'bad', 'revoked', 'own department', 'other department', 'manager', 'inspector', 'admin'];

describe.each(testEngines())('who may write what, on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let revoked = '';
  const tokens = (): Record<Role, string | null> => ({
    none: null, bad: 'rl_not-a-key', revoked, 'own department': OWN, 'other department': OTHER,
    manager: 'demo-manager', inspector: 'demo-inspector', admin: 'demo-admin',
  });
  const stored = async () => (await t.db.pool.query<{ events: string; keys: string }>(
    'SELECT (SELECT count(*) FROM ledger_events) AS events, (SELECT count(*) FROM ledger_idempotency) AS keys')).rows[0];
  const get = (path: string, token: string | null) => {
    const req = request(t.app.getHttpServer()).get(path);
    return token === null ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const ok = async (path: string, body: unknown, token = 'demo-admin') => {
    const res = await t.post(path, body, { token });
    if (res.status !== 201) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    await seedSkeleton(t.app);
    await ok(`/api/v1/units/${UNITS.office}/events`, examples.unitRegistered({ name: 'Văn phòng HĐND và UBND huyện', keepsRegister: true }));
    await ok('/api/v1/units/phong-lao-dong/events', examples.unitRegistered({ name: 'Phòng Lao động – Thương binh và Xã hội' }));
    await ok('/api/v1/tasks/T-LD/events', examples.taskDefined({ leadUnitId: 'phong-lao-dong' }));
    await ok('/api/v1/units/phong-lao-dong/events', examples.unitMerged({ intoUnitId: UNITS.homeAffairs }));
    await ok('/api/v1/legal-documents/qppl-2022-01/events', examples.draftRegistered());
    await ok('/api/v1/inspections/kt-cchc-2022/events', examples.inspectionPlanned());
    await ok('/api/v1/inspections/kt-cchc-2022/events', examples.inspectionTeamFormed({ memberUnitIds: [UNITS.culture] }));
    const key = await t.post('/api/v1/admin/api-keys', { role: 'department', unitId: UNITS.homeAffairs, label: 'thu hồi' }).expect(201);
    revoked = key.body.token;
    await request(t.app.getHttpServer()).delete(`/api/v1/admin/api-keys/${key.body.keyId}`).set('Authorization', 'Bearer demo-admin').expect(200);
  }, 60_000);

  /** Every route class, how it is called, and the status each role gets. */
  const write = { none: 401, bad: 401, revoked: 401, 'own department': 201, 'other department': 403, manager: 403, inspector: 403, admin: 201 };
  let n = 0;
  const ROUTES: [string, (token: string | null) => Promise<request.Response>, Record<Role, number>][] = [
    ['record an event (POST {collection}/{id}/events)',
      (token) => t.post('/api/v1/tasks/T-07/events', examples.taskProgressReported({ note: `m${++n}` }), { token }), write],
    ['record a batch (POST events:batch)',
      (token) => t.post('/api/v1/events:batch', [{ stream: { kind: 'task', id: 'T-07' }, ...examples.taskProgressReported({ note: `b${++n}` }), idempotencyKey: freshKey() }], { token }), write],
    ['read a view (GET plans)', (token) => get('/api/v1/plans', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 200, 'other department': 200, manager: 200, inspector: 200, admin: 200 }],
    ['read the ledger\'s marks (GET ledger/marks)', (token) => get('/api/v1/ledger/marks', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 200, 'other department': 200, manager: 200, inspector: 200, admin: 200 }],
    ['audit (GET audit/verify)', (token) => get('/api/v1/audit/verify', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 403, 'other department': 403, manager: 403, inspector: 200, admin: 200 }],
    ['report (GET reports/cchc)', (token) => get('/api/v1/reports/cchc?year=2022&asOf=2022-11-30', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 403, 'other department': 403, manager: 200, inspector: 200, admin: 200 }],
    ['admin: keys (GET admin/api-keys)', (token) => get('/api/v1/admin/api-keys', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 403, 'other department': 403, manager: 403, inspector: 403, admin: 200 }],
    ['admin: views (GET admin/views)', (token) => get('/api/v1/admin/views', token),
      { none: 401, bad: 401, revoked: 401, 'own department': 403, 'other department': 403, manager: 403, inspector: 403, admin: 200 }],
  ];

  describe.each(ROUTES)('%s', (_route, call, expected) => {
    it.each(ROLES)('as %s', async (role) => {
      const before = await stored();
      const res = await call(tokens()[role]);
      expect({ role, status: res.status }).toEqual({ role, status: expected[role] });
      if (res.status >= 400) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await stored()).toEqual(before);
      }
    });
  });

  /** A write that must be refused with `code`, storing nothing. */
  const refused = async (path: string, body: unknown, token: string, status: number, code: string) => {
    const before = await stored();
    const res = await t.post(path, body, { token });
    expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status, code });
    expect(await stored()).toEqual(before);
  };

  it('documents: a unit registers what it issued, the Văn phòng what other bodies issued, and only the registering unit corrects', async () => {
    const letter = (no: number) => examples.documentRegistered({ reference: `${no}/CV-UBND`, documentType: 'cong_van' });
    await refused(`/api/v1/documents/${UNITS.district}.2022.7001.cv-ubnd/events`, letter(7001), OWN, 403, 'auth.not_your_record');
    await refused(`/api/v1/documents/${UNITS.province}.2022.7002.cv-ubnd/events`, { ...letter(7002), data: { ...letter(7002).data, issuerUnitId: UNITS.province } },
      `demo-dept-${UNITS.district}`, 403, 'auth.not_your_record');
    await ok(`/api/v1/documents/${UNITS.district}.2022.7003.cv-ubnd/events`, letter(7003), OFFICE);
    await ok(`/api/v1/documents/${UNITS.district}.2022.7004.cv-ubnd/events`, letter(7004), `demo-dept-${UNITS.district}`);
    // 39/QĐ-UBND was registered by an admin: no department corrects it.
    await refused(`/api/v1/documents/${DOCUMENTS.plan2022}/events`, examples.documentCorrected(), OFFICE, 403, 'auth.not_your_record');
    await refused(`/api/v1/documents/${DOCUMENTS.plan2022}/events`, examples.documentCorrected(), `demo-dept-${UNITS.district}`, 403, 'auth.not_your_record');
    await refused(`/api/v1/documents/${UNITS.district}.2022.7003.cv-ubnd/events`, examples.documentCorrected(), `demo-dept-${UNITS.district}`, 403, 'auth.not_your_record');
    await ok(`/api/v1/documents/${UNITS.district}.2022.7003.cv-ubnd/events`, examples.documentCorrected(), OFFICE);
  });

  it('appraisals: only the unit the draft names, not one naming itself the appraiser', async () => {
    await refused('/api/v1/legal-documents/qppl-2022-01/events', examples.draftAppraised({ appraisingUnitId: UNITS.culture }),
      `demo-dept-${UNITS.culture}`, 403, 'auth.not_your_record');
    await refused('/api/v1/legal-documents/qppl-2022-01/events', examples.draftAppraised(), OWN, 403, 'auth.not_your_record');
    await ok('/api/v1/legal-documents/qppl-2022-01/events', examples.draftAppraised(), OTHER);
  });

  it('visits: the lead or a unit on the team, no other', async () => {
    await ok('/api/v1/inspections/kt-cchc-2022/events', examples.unitInspected(), `demo-dept-${UNITS.culture}`);
    await ok('/api/v1/inspections/kt-cchc-2022/events', examples.findingRecorded(), OWN);
    await refused('/api/v1/inspections/kt-cchc-2022/events', examples.findingRecorded({ finding: 'Khác' }), OTHER, 403, 'auth.not_your_record');
    await refused('/api/v1/inspections/kt-cchc-2022/events', examples.inspectionConcluded(), `demo-dept-${UNITS.culture}`, 403, 'auth.not_your_record');
  });

  it('reads events stored before their version 2 through the upcasters: a v1 draft is appraised by an admin only, a v1 team records no visits', async () => {
    // As an older release stored them: no appraisalUnitId, no memberUnitIds.
    const { appraisalUnitId: _a, ...v1Draft } = examples.draftRegistered().data;
    await t.ledger.append('legal-document:qppl-v1', [{ ...examples.draftRegistered(), data: v1Draft, schemaVersion: 1 }]);
    await refused('/api/v1/legal-documents/qppl-v1/events', examples.draftAppraised(), OTHER, 403, 'auth.not_your_record');
    await ok('/api/v1/legal-documents/qppl-v1/events', examples.draftAppraised());
    await ok('/api/v1/inspections/kt-v1/events', examples.inspectionPlanned());
    const { memberUnitIds: _m, ...v1Team } = examples.inspectionTeamFormed().data;
    await t.ledger.append('inspection:kt-v1', [{ ...examples.inspectionTeamFormed(), data: v1Team, schemaVersion: 1 }]);
    await refused('/api/v1/inspections/kt-v1/events', examples.unitInspected(), OTHER, 403, 'auth.not_your_record');
    await ok('/api/v1/inspections/kt-v1/events', examples.unitInspected(), OWN);
    // The app reads them as version 2 (the stored rows stay version 1).
    const read = async (streamId: string) => (await get(`/api/v1/audit/streams/${streamId}`, 'demo-inspector').expect(200)).body.events[0];
    expect(await read('legal-document:qppl-v1')).toMatchObject({ schemaVersion: 2, data: { ...v1Draft, appraisalUnitId: null } });
    const team = (await get('/api/v1/audit/streams/inspection:kt-v1', 'demo-inspector').expect(200)).body.events[1];
    expect(team).toMatchObject({ type: 'InspectionTeamFormed', schemaVersion: 2, data: { memberUnitIds: [] } });
    expect((await t.ledger.readStream('legal-document:qppl-v1'))[0]).toMatchObject({ schemaVersion: 1 });
  });

  it('a merged unit\'s key is refused (unit.inactive); the unit it was merged into records its earlier work late', async () => {
    await refused('/api/v1/tasks/T-LD/events', examples.taskCompleted({ occurredAt: '2022-11-20' }), 'demo-dept-phong-lao-dong', 403, 'unit.inactive');
    const res = await t.post('/api/v1/tasks/T-LD/events', examples.taskCompleted({ occurredAt: '2022-11-20' }), { token: OWN, key: freshKey() });
    expect(res.status).toBe(201);
    const [event] = await t.ledger.readStream('task:T-LD', { fromVersion: res.body.streamVersion });
    expect(event.actor).toMatchObject({ unitId: UNITS.homeAffairs });
  });
});
