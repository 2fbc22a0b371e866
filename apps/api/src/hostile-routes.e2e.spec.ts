import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import { EventType, eventTypesOf, examples, RECORD_KINDS, RecordKind } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { COLLECTIONS } from './events/collections';
import { EVENT_SCHEMAS } from './events/event-schemas';
import { appUnderTest, freshKey, seedSkeleton } from './testing';

/**
 * Property: whatever a client sends to any route of the API (every route of /docs-json), the answer is
 * a 4xx problem (never a 5xx, never HTML or a bare status line) and nothing is stored. Each generated
 * request is a well-formed one broken in at least one way that must be refused: the key, a path id, a
 * query parameter, a header, the body (its bytes, its depth, its text, a required field), or the HTTP
 * itself (what Node's parser refuses). Seeded: a failure names its seed and path, and replays.
 */
const RUNS = 5_000;
const SEED = 20_221_201;

type Route = { method: string; path: string; params: string[]; query: string[]; body: boolean; secured: boolean; forbids: boolean };
type Hostile = { route: string; method: string; path: string; headers: Record<string, string>; body?: Buffer; raw?: string; label: string };

/** A value for each path parameter that a route accepts (the defect is elsewhere). */
const VALID_PARAM: Record<string, string> = {
  collection: 'tasks', id: 'T-07', keyId: 'no-such-key', planId: 'cchc-2022', inspectionId: 'kt-ct01-2022', recruitmentId: 'vien-chuc-2022',
  streamId: 'task:T-07', view: 'plan-progress',
};
/** Path ids that no route may take to SQL: NUL, a lone surrogate's bytes, controls, spaces, non-ASCII, too long, bad escapes. */
const hostileParam = fc.constantFrom(
  '%00', 'a%00b', '%ED%A0%80', '%F0%9F', '%1B%5B31m', 'a%20b', '%09', '%0D%0ASet-Cookie:x', '%7F', '%C4%90%E1%BA%AFk-Song', 'x'.repeat(201),
  '%ZZ', '%', '%E2%80%AE', "'%3B%20DROP%20TABLE%20ledger_events%3B--", '%C0%AF', '%FF%FE',
);
/** Query strings every route refuses: a parameter no route has, or a known one with a bad value. */
const hostileQuery = (route: Route) => fc.oneof(
  fc.constantFrom('zz=1', 'asof=2022-11-30', '__proto__=1', 'a%00=1', '%ED%A0%80=1'),
  ...(route.query.length
    ? [fc.tuple(fc.constantFrom(...route.query), fc.constantFrom('%00', '%ED%A0%80', 'x'.repeat(3000), '%1B%5B31m', 'true%00', ''))
      .map(([name, value]) => `${name}=${value}`),
    fc.constantFrom(...route.query).map((name) => `${name}=1&${name}=2`)]
    : []),
);
const hostileAuth = fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic ZGVtbzpkZW1v', 'Bearer demo-admin extra', 'Bearer no-such-key', 'Bearer demo-dept-%00',
  `Bearer ${'x'.repeat(600)}`, 'bearer demo-admin', 'Bearer rl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');

/** Strings that must never be stored: a lone surrogate, NUL, an ANSI escape, a bell, only spaces. */
const badText = fc.constantFrom('\ud800', 'Phòng \udfff Nội vụ', 'a\u0000b', '\u001b[31mĐỏ\u001b[0m', 'chuông\u0007', '   ', '\u00a0\u3000', '\u009b31m');
/** Strings that must never be a name or a title (one line): the above, and tabs or line breaks. */
const badLine = fc.oneof(badText, fc.constantFrom('Phòng\nNội vụ', 'Tên\tkhác', 'a\r\nb', 'x\u2028y'));

const LINE_FIELDS = new Set(['name', 'alias', 'title', 'reference']);

type Json = Record<string, unknown>;
type Components = Record<string, { required?: string[]; properties?: Record<string, { type?: string }> }>;

/** A valid body of each event type, from the OpenAPI examples, and the fields its schema requires. */
const eventBases = (kind: RecordKind) => eventTypesOf(kind).map((type) => {
  const schema = EVENT_SCHEMAS[type as EventType];
  return { example: schema.example as unknown as Json, schemaName: schema.data.name };
});

/** One event submission broken in one way (its text, a required field, its shape). */
const brokenSubmission = (kind: RecordKind, components: Components) => fc.constantFrom(...eventBases(kind)).chain(({ example, schemaName }) => {
  const data = example.data as Json;
  const required = components[schemaName]?.required ?? [];
  const textFields = Object.entries(components[schemaName]?.properties ?? {}).filter(([, p]) => p.type === 'string').map(([k]) => k);
  const choices: fc.Arbitrary<{ body: Json; label: string }>[] = [
    fc.tuple(fc.constantFrom('type', 'occurredAt'), fc.constantFrom('\ud800', 'a\u0000', '')).map(([k, v]) => ({ body: { ...example, [k]: v }, label: `envelope ${k} bad text` })),
    fc.constantFrom(...Object.keys(example)).map((k) => ({ body: Object.fromEntries(Object.entries(example).filter(([e]) => e !== k)), label: `missing ${k}` })),
    fc.constant({ body: { ...example, data: { ...data, '\ud800': 1 } }, label: 'lone surrogate key' }),
  ];
  if (required.length) {
    choices.push(fc.constant({ body: { ...example, data: {} }, label: 'empty data' }));
    choices.push(fc.constantFrom(...required).map((k) => ({ body: { ...example, data: { ...data, [k]: undefined } }, label: 'missing required field' })));
  }
  const lineFields = textFields.filter((k) => LINE_FIELDS.has(k));
  if (lineFields.length) {
    choices.push(fc.tuple(fc.constantFrom(...lineFields), badLine).map(([k, v]) => ({ body: { ...example, data: { ...data, [k]: v } }, label: 'bad name or title' })));
  }
  if (textFields.length) {
    choices.push(fc.tuple(fc.constantFrom(...textFields), fc.nat()).chain(([k]) => (LINE_FIELDS.has(k) ? badLine : badText)
      .map((v) => ({ body: { ...example, data: { ...data, [k]: v } }, label: LINE_FIELDS.has(k) ? 'bad name or title' : 'bad free text' }))));
  }
  return fc.oneof(...choices);
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const deep = (depth: number) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const deepObject = (depth: number) => Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** Bodies broken below JSON: invalid UTF-8, absurd depth, not JSON, compressed garbage. */
const brokenBytes = (valid: Buffer) => fc.oneof(
  fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]))
    .map((bad) => ({ body: Buffer.concat([valid.subarray(0, valid.length - 3), Buffer.from('"'), bad, Buffer.from('"'), valid.subarray(valid.length - 3)]), headers: {}, label: 'invalid UTF-8' })),
  fc.constantFrom(10_000, 2_000, 100).map((d) => ({ body: d === 10_000 ? deep(d) : deepObject(d), headers: {}, label: 'deep JSON' })),
  fc.constantFrom('{', '{"type":', '[1,]', 'null', '"x"', '{"a":1}}', '\u0000').map((s) => ({ body: Buffer.from(s), headers: {}, label: 'not JSON' })),
  fc.constantFrom('deflate', 'gzip', 'br', 'compress', 'deflate, gzip').map((encoding) => ({
    body: Buffer.from('garbage that does not inflate'), headers: { 'Content-Encoding': encoding }, label: 'compressed garbage',
  })),
  fc.constant({ body: deflateSync(deep(10_000)), headers: { 'Content-Encoding': 'deflate' }, label: 'deflated deep JSON' }),
);

/** What Node's HTTP parser refuses before any route: sent on a raw socket. */
const rawRequests = fc.constantFrom(
  'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
  'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET /api/v1/plans HTTP/9.9\r\nHost: x\r\n\r\n',
  `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'POST /api/v1/events:batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n\r\n',
  'POST /api/v1/admin/api-keys HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n',
  'GET /api/v1/pl\u0001ans HTTP/1.1\r\nHost: x\r\n\r\n',
);

const hostileRequests = (routes: Route[], components: Components): fc.Arbitrary<Hostile> => fc.constantFrom(...routes).chain((route) => {
  const path = (params: Record<string, string> = {}) => route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? VALID_PARAM[name]);
  const base = (label: string, extra: Partial<Hostile> = {}): Hostile => ({
    route: `${route.method} ${route.path}`, method: route.method, path: path(), label, ...extra,
    headers: { Authorization: 'Bearer demo-admin', 'Idempotency-Key': freshKey(), ...(route.body && { 'Content-Type': 'application/json' }), ...extra.headers },
  });
  const validBody = route.path.endsWith('/api-keys') ? json({ role: 'manager', label: 'thử' }) : json({ ...EVENT_SCHEMAS.TaskCompleted.example });
  const defects: fc.Arbitrary<Hostile>[] = [
    hostileQuery(route).map((q) => base('query', { path: `${path()}?${q}`, body: route.body ? validBody : undefined })),
    rawRequests.map((raw) => base('raw HTTP', { raw })),
  ];
  if (route.secured) {
    defects.push(hostileAuth.map((auth) => {
      const h = base('auth', { body: route.body ? validBody : undefined });
      if (auth) h.headers.Authorization = auth;
      else delete h.headers.Authorization;
      return h;
    }));
  }
  if (route.forbids) defects.push(fc.constant(base('role', { headers: { Authorization: 'Bearer demo-manager' }, body: route.body ? validBody : undefined })));
  if (route.params.length) {
    defects.push(fc.tuple(fc.constantFrom(...route.params), hostileParam)
      .map(([name, value]) => base('path id', { path: path({ [name]: value }), body: route.body ? validBody : undefined })));
  }
  if (route.body) defects.push(brokenBytes(validBody).map((b) => base(b.label, { body: b.body, headers: b.headers })));
  if (route.path === '/api/v1/{collection}/{id}/events') {
    defects.push(fc.tuple(fc.constantFrom(...Object.keys(COLLECTIONS)), fc.string({ minLength: 1, maxLength: 20 })).chain(([collection]) =>
      brokenSubmission(COLLECTIONS[collection], components).map((b) => base(b.label, { path: `/api/v1/${collection}/R-1/events`, body: json(b.body) }))));
    defects.push(fc.constantFrom('a b', 'x'.repeat(201), 'caf\u00e9', '', '\u00ff\u00fe').map((key) => base('bad Idempotency-Key', { headers: { 'Idempotency-Key': key }, body: validBody })));
    defects.push(fc.constantFrom('"-1"', 'abc', '"1" "2"', '" 1"', 'W/', '"99999999999"', '*').map((ifMatch) => base('bad If-Match', { headers: { 'If-Match': ifMatch }, body: validBody })));
  }
  if (route.path === '/api/v1/events:batch') {
    defects.push(fc.tuple(fc.constantFrom(...RECORD_KINDS), fc.nat({ max: 3 })).chain(([kind, at]) => brokenSubmission(kind, components).map((b) => {
      const items = [0, 1, 2, 3].map((i) => ({ stream: { kind: 'task', id: `B-${i}` }, ...EVENT_SCHEMAS.TaskDefined.example, idempotencyKey: freshKey() }));
      items[at] = { ...(b.body as typeof items[number]), stream: { kind, id: 'R-1' }, idempotencyKey: freshKey() };
      return base(`batch item: ${b.label}`, { body: json(items) });
    })));
  }
  if (route.path === '/api/v1/admin/api-keys' && route.method === 'POST') {
    defects.push(badLine.map((label) => base('bad key label', { body: json({ role: 'manager', label }) })));
    defects.push(fc.constantFrom({ role: 'root' }, { role: 'department' }, { role: 'manager', unitId: 'a\u0000' }, { role: 'manager', extra: 1 }, [])
      .map((b) => base('bad key request', { body: json(b) })));
  }
  return fc.oneof(...defects);
});

const DEFECTS = [
  'auth', 'role', 'path id', 'query', 'raw HTTP', 'bad If-Match', 'bad Idempotency-Key', 'bad free text', 'bad name or title', 'bad key label', 'bad key request',
  'compressed garbage', 'deflated deep JSON', 'deep JSON', 'empty data', 'invalid UTF-8', 'not JSON', 'lone surrogate key', 'missing required field',
  'envelope type bad text', 'envelope occurredAt bad text', 'missing data',
];

type Answer = { status: number; type: string; text: string };
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

const send = (port: number, h: Hostile): Promise<Answer> => new Promise((resolve, reject) => {
  if (h.raw !== undefined) {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), type: /content-type: ([^\r\n]*)/i.exec(head)?.[1] ?? '', text: Buffer.from(rest.join('\r\n\r\n'), 'latin1').toString('utf8') });
    });
    socket.end(h.raw);
    return;
  }
  const req = httpRequest({ host: '127.0.0.1', port, method: h.method, path: h.path, headers: h.headers, agent }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
  });
  req.on('error', reject);
  req.end(h.body);
});

const stored = async (t: { db: { pool: { query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }> } } }) => (await t.db.pool.query(
  `SELECT (SELECT coalesce(max(global_position), 0) FROM ledger_events) AS head, (SELECT count(*) FROM ledger_idempotency) AS idempotency,
     (SELECT count(*) FROM api_keys) AS keys, (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL) AS revoked`)).rows[0];

describe.each(testEngines())('every route under hostile requests on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let routes: Route[];
  let components: Components;

  beforeAll(async () => {
    await seedSkeleton(t.app);
    const doc = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { schemas: Components };
    };
    components = doc.components.schemas;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(), path,
      params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: op.requestBody !== undefined, secured: (op.security ?? []).length > 0, forbids: '403' in op.responses,
    })));
  }, 60_000);

  it(`answers ${RUNS} generated hostile requests over every route with a 4xx problem, storing nothing`, async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const before = await stored(t);
    const seen = new Map<string, number>();
    const hit = new Set<string>();
    const failures = new Set<string>();
    await fc.assert(
      fc.asyncProperty(hostileRequests(routes, components), async (h) => {
        seen.set(h.label, (seen.get(h.label) ?? 0) + 1);
        hit.add(h.route);
        const answer = await send(port, h);
        const problem = (() => {
          try {
            return JSON.parse(answer.text) as { status?: number; code?: string };
          } catch {
            return undefined;
          }
        })();
        if (answer.status < 400 || answer.status >= 500 || !/^application\/problem\+json/.test(answer.type) || problem?.status !== answer.status || typeof problem.code !== 'string') {
          const failure = `${h.label}: ${h.method} ${h.path.slice(0, 200)} ${h.body?.subarray(0, 200).toString() ?? ''} ${h.raw?.slice(0, 100) ?? ''} → ${answer.status} ${answer.type} ${answer.text.slice(0, 300)}`;
          if (process.env.HOSTILE_COLLECT) failures.add(failure.replace(/k-\d+-\d+/g, 'K'));
          else throw new Error(failure);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect([...failures]).toEqual([]);
    expect(await stored(t)).toEqual(before);
    // Every route was attacked, and in every way (a batch item counts as its own kind of defect).
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((r) => !hit.has(r))).toEqual([]);
    const labels = [...seen.keys()].map((l) => l.replace(/^batch item: /, ''));
    expect(DEFECTS.filter((d) => !labels.includes(d))).toEqual([]);
  }, 240_000);

  it('refuses each case that once got a 500 or was stored altered, naming the field, and stores none of them', async () => {
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const before = await stored(t);
    const ask = async (h: Partial<Hostile> & { path: string }) => {
      const answer = await send(port, { route: '', method: 'POST', label: '', ...h, headers: { Authorization: 'Bearer demo-admin', 'Idempotency-Key': freshKey(), 'Content-Type': 'application/json', ...h.headers } });
      return { status: answer.status, type: answer.type, ...(JSON.parse(answer.text) as { code: string; errors: { field: string }[] }) };
    };
    const progress = (data: unknown) => json({ type: 'TaskProgressReported', occurredAt: '2022-05-01', data });
    const unit = (name: string) => json(examples.unitRegistered({ name }));
    const fields = (a: { errors: { field: string }[] }) => a.errors.map((e) => e.field);

    expect(await ask({ path: '/api/v1/tasks/T-07/events', body: progress({ progress: { numerator: 1, denominator: 2 }, note: '\ud800' }) }))
      .toMatchObject({ status: 400, code: 'request.invalid', errors: [{ field: 'data.note' }] });
    expect(fields(await ask({ path: '/api/v1/tasks/T-07/events', body: progress({}) }))).toEqual(['data.progress']);
    expect(await ask({ method: 'GET', path: '/api/v1/plans/%00/progress' })).toMatchObject({ status: 400, errors: [{ field: 'planId' }] });
    expect(await ask({ method: 'DELETE', path: '/api/v1/admin/api-keys/%00' })).toMatchObject({ status: 400, errors: [{ field: 'keyId' }] });
    expect(await ask({ path: '/api/v1/admin/api-keys', body: json({ role: 'manager', label: 'a\u0000b' }) })).toMatchObject({ status: 400, errors: [{ field: 'label' }] });
    expect(await ask({ path: '/api/v1/events:batch', body: deep(10_000) })).toMatchObject({ status: 400, code: 'request.too_deep' });
    expect(await ask({ path: '/api/v1/admin/api-keys', body: deepObject(10_000) })).toMatchObject({ status: 413 });
    expect(await ask({ path: '/api/v1/admin/api-keys', headers: { Authorization: '', 'Content-Encoding': 'deflate' }, body: Buffer.from('garbage') }))
      .toMatchObject({ status: 401, code: 'auth.missing' }); // the body of a stranger is not even read
    expect(await ask({ path: '/api/v1/admin/api-keys', headers: { 'Content-Encoding': 'deflate' }, body: Buffer.from('garbage') })).toMatchObject({ status: 400, code: 'request.unreadable' });
    for (const name of ['   ', '\u00a0\u3000', '\u001b[31mPhòng Đỏ\u001b[0m', 'Phòng\u0000Nội vụ', 'Phòng\nNội vụ']) {
      expect(await ask({ path: '/api/v1/units/phong-moi/events', body: unit(name) })).toMatchObject({ status: 400, errors: [{ field: 'data.name' }] });
    }
    const invalidUtf8 = Buffer.concat([Buffer.from('{"type":"UnitRegistered","occurredAt":"2022-05-01","data":{"name":"Ph'), Buffer.from([0xf2, 0x6e]),
      Buffer.from('g","kind":"department"}}')]);
    expect(await ask({ path: '/api/v1/units/phong-moi/events', body: invalidUtf8 })).toMatchObject({ status: 400, code: 'request.invalid_utf8' });
    expect(await ask({ path: '/api/v1/tasks/T-07/events', headers: { 'If-Match': '"1 "' }, body: progress({ progress: { numerator: 1, denominator: 2 } }) }))
      .toMatchObject({ status: 400, errors: [{ field: 'If-Match' }] });
    const raw = await send(port, { route: '', method: '', path: '', headers: {}, label: '', raw: 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n' });
    expect({ status: raw.status, type: raw.type, code: JSON.parse(raw.text).code }).toEqual({ status: 400, type: 'application/problem+json; charset=utf-8', code: 'request.unparseable' });
    expect(await stored(t)).toEqual(before);
    // And the same text, well formed, is stored (NFC, trimmed).
    expect((await ask({ path: '/api/v1/units/phong-moi/events', body: unit('  Phòng Mới ') })).status).toBe(201);
  });
});
