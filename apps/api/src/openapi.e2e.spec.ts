import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Projector } from '@reform-ledger/projections';
import { SHEETS, XLSX_TYPE } from '@reform-ledger/reports';
import { CONTROLLERS } from './app';
import { declaredParams, PARAMS } from './query-params';
import { appUnderTest, seedSkeleton } from './testing';

type Schema = Record<string, any>;
type Operation = { parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, { content?: Record<string, { schema: Schema }> }> };

/** The routes the app serves, read from the controllers' own metadata: method, OpenAPI-style path, handler. */
const served = () => CONTROLLERS.flatMap((controller) => {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
    const handler = (controller.prototype as unknown as Record<string, () => unknown>)[name];
    const path = Reflect.getMetadata(PATH_METADATA, handler);
    if (name === 'constructor' || path === undefined) return [];
    const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');
    return [{ method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase(), path: full, handler }];
  });
});

/** Checks a value against the OpenAPI 3.0 subset the spec uses (type, properties, required, additionalProperties, items, enum, nullable, $ref). */
const conforms = (spec: Schema, schema: Schema, value: unknown, at: string, errors: string[]): void => {
  if (schema.$ref) return conforms(spec, spec.components.schemas[schema.$ref.split('/').pop()], value, at, errors);
  if (value === null) {
    if (!schema.nullable) errors.push(`${at} is null`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at} = ${JSON.stringify(value)} is not one of ${schema.enum}`);
  const is = {
    object: typeof value === 'object' && !Array.isArray(value), array: Array.isArray(value), string: typeof value === 'string',
    integer: Number.isInteger(value), number: typeof value === 'number', boolean: typeof value === 'boolean',
  } as Record<string, boolean>;
  if (schema.type && !is[schema.type]) {
    errors.push(`${at} is not ${schema.type}: ${JSON.stringify(value)?.slice(0, 80)}`);
    return;
  }
  if (schema.type === 'array') (value as unknown[]).forEach((item, i) => conforms(spec, schema.items, item, `${at}[${i}]`, errors));
  if (schema.type === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}.${key} is missing`);
    for (const [key, member] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) conforms(spec, property, member, `${at}.${key}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${at}.${key} is not in the schema`);
    }
  }
};

const SAMPLES: Record<string, string> = {
  asOf: '2022-11-30', knownAt: new Date(Date.now() + 3_600_000).toISOString(), year: '2022', unitId: 'phong-noi-vu', withStates: 'true',
  unit: 'phong-noi-vu', ownerUnit: 'phong-noi-vu', actor: 'demo-admin', recordedFrom: '2022-01-01', recordedTo: '2099-01-01', after: '0', limit: '10',
  view: 'plan-progress', planId: 'cchc-2022', inspectionId: 'kt-2022', recruitmentId: 'vc-2022', boundFrom: '0', boundTo: '2099-01-01',
  format: 'csv', period: 'year', q: 'kế hoạch', seriesFrom: '2022-01-01', seriesTo: '2022-12-31', step: 'week',
};
/** The API's only routes under /api/v1 that need no key: the sign-in page's list of demo keys (demo mode only). */
const PUBLIC = ['/api/v1/demo-keys'];
const PATH_PARAMS: Record<string, string> = {
  planId: 'cchc-2022', inspectionId: 'kt-2022', recruitmentId: 'vc-2022', streamId: 'task:T-07', taskId: 'T-07', collection: 'tasks', id: 'T-07', keyId: 'key_none', view: 'plan-progress',
};
const withPathParams = (path: string) => path.replace(/\{(\w+)\}/g, (_m, p) => PATH_PARAMS[p] ?? `{${p}}`);

describe.each(testEngines())('the OpenAPI contract and the routes, on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let spec: Schema;
  let head: number;
  const call = (method: string, path: string, token = 'demo-admin') =>
    (request(t.app.getHttpServer()) as unknown as Record<string, (p: string) => request.Test>)[method](withPathParams(path)).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    await seedSkeleton(t.app);
    for (const [path, body] of [
      ['/api/v1/inspections/kt-2022/events', examples.inspectionPlanned()], ['/api/v1/inspections/kt-2022/events', examples.unitInspected()],
      ['/api/v1/recruitments/vc-2022/events', examples.recruitmentPlanApproved()], ['/api/v1/recruitments/vc-2022/events', examples.noticePublished()],
      ['/api/v1/recruitments/vc-2022/events', examples.applicationReceived()], ['/api/v1/legal-documents/q-01/events', examples.draftRegistered()],
      ['/api/v1/tasks/T-07/events', examples.taskProgressReported()], ['/api/v1/tasks/T-07/events', examples.taskCompleted()],
    ] as const) await t.post(path, body).expect(201);
    head = Number((await t.db.pool.query('SELECT max(global_position) AS p FROM ledger_events')).rows[0].p);
    await t.app.get(Projector).waitFor(['plan-progress', 'inspection-log', 'recruitment-pipeline', 'legal-register', 'registry'], head, 10_000);
    spec = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body;
  }, 60_000);

  const operations = () => Object.entries(spec.paths as Record<string, Record<string, Operation>>)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

  it('has every route in the spec, and every route of the spec served', () => {
    const routes = served().map((r) => `${r.method} ${r.path}`).sort();
    expect(operations().map((o) => `${o.method} ${o.path}`).sort()).toEqual(routes);
    expect(routes).toEqual(expect.arrayContaining(['get /api/v1/ledger/marks', 'get /api/v1/audit/streams/{streamId}', 'post /api/v1/events:batch']));
  });

  it('gives every route a response schema and documents its problems as problem+json', () => {
    for (const { path, method, op } of operations()) {
      const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
      expect({ path, method, success: success.length }).toEqual({ path, method, success: 1 });
      const [, response] = success[0];
      expect({ path, method, schema: Object.values(response.content ?? {})[0]?.schema }).toEqual({ path, method, schema: expect.any(Object) });
      for (const [status, problem] of Object.entries(op.responses).filter(([s]) => /^[45]/.test(s) && !(path === '/health'))) {
        expect({ path, method, status, content: Object.keys(problem.content ?? {}) }).toEqual({ path, method, status, content: ['application/problem+json'] });
      }
      if (path.startsWith('/api/v1') && !PUBLIC.includes(path)) expect({ path, method, documents401: '401' in op.responses }).toEqual({ path, method, documents401: true });
    }
  });

  it('declares exactly the query parameters each route accepts, none of them required', () => {
    const reflector = new Reflector();
    for (const route of served()) {
      const op = spec.paths[route.path][route.method] as Operation;
      const inSpec = (op.parameters ?? []).filter((p) => p.in === 'query');
      expect({ route: route.path, params: inSpec.map((p) => p.name) })
        .toEqual({ route: route.path, params: declaredParams(reflector, route.handler).map((k) => PARAMS[k].name) });
      expect(inSpec.filter((p) => p.required)).toEqual([]);
    }
  });

  it('accepts every declared parameter, and refuses any other naming the route\'s own', async () => {
    const reflector = new Reflector();
    for (const route of served()) {
      const declared = declaredParams(reflector, route.handler);
      for (const key of route.method === 'get' ? declared : []) {
        const res = await call(route.method, `${route.path}?${PARAMS[key].name}=${encodeURIComponent(SAMPLES[key] ?? String(head))}`);
        expect({ route: route.path, key, unknown: (res.body.errors ?? []).some((e: { field: string }) => e.field === PARAMS[key].name) && res.status === 400 })
          .toEqual({ route: route.path, key, unknown: false });
      }
      const refused = await call(route.method, `${route.path}?bogus=1`);
      expect({ route: `${route.method} ${route.path}`, status: refused.status, code: refused.body.code })
        .toEqual({ route: `${route.method} ${route.path}`, status: 400, code: 'request.invalid' });
      expect(refused.body.errors[0]).toMatchObject({ field: 'bogus' });
    }
  }, 30_000); // many calls over HTTP, on a machine shared by several test suites

  it('gives every route that takes format a spreadsheet (SHEETS, by route path) and declares its XLSX and CSV answers', () => {
    const reflector = new Reflector();
    const routes = served().filter((r) => r.method === 'get');
    const takesFormat = routes.filter((r) => declaredParams(reflector, r.handler).includes('format')).map((r) => r.path).sort();
    expect(takesFormat.length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(SHEETS).map((path) => path.replace(/:(\w+)/g, '{$1}')).sort()).toEqual(takesFormat);
    const withSheets = routes.filter((r) => Object.keys((spec.paths[r.path].get as Operation).responses['200'].content ?? {}).includes(XLSX_TYPE)).map((r) => r.path).sort();
    expect(withSheets).toEqual(takesFormat);
    for (const path of takesFormat) expect(Object.keys((spec.paths[path].get as Operation).responses['200'].content!)).toEqual(['application/json', XLSX_TYPE, 'text/csv']);
  });

  it('has no $ref to an empty or missing name', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref') refs.push(value as string);
          else walk(value);
        }
      }
    };
    walk(spec);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => !spec.components.schemas[r.split('/').pop()!])).toEqual([]);
  });

  it('describes the bearer keys as opaque tokens, not JWT', () => {
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: expect.not.stringMatching(/JWT/) });
    expect(spec.components.securitySchemes.bearer.description).toMatch(/opaque/);
  });

  it('answers every route with a body its schema describes', async () => {
    const bodies: [string, string, number, request.Response][] = [];
    /** Calls a route of the spec (path params from PATH_PARAMS, or `ids`) and keeps the answer to check against its schema. */
    const check = async (method: string, route: string, status: number, options: { query?: string; send?: unknown; token?: string; ids?: Record<string, string> } = {}) => {
      const path = route.replace(/\{(\w+)\}/g, (_m, p) => options.ids?.[p] ?? `{${p}}`);
      let req = call(method, `${path}${options.query ?? ''}`, options.token);
      if (options.send !== undefined) req = req.set('Idempotency-Key', `contract-${method}-${path}`).send(options.send as object);
      const res = await req;
      expect({ route, query: options.query, status: res.status }).toEqual({ route, query: options.query, status });
      bodies.push([method, route, status, res]);
      return res;
    };
    const inspector = { token: 'demo-inspector' };
    for (const { path, method } of operations().filter((o) => o.method === 'get' && !['/api/v1/audit/export', '/api/v1/audit/diff', '/api/v1/audit/proof', '/api/v1/audit/consistency', '/metrics', '/api/v1/reports/cchc'].includes(o.path))) {
      await check(method, path, 200, path.includes('/audit/') ? inspector : {});
    }
    await check('get', '/api/v1/reports/cchc', 200, { query: '?year=2022&asOf=2022-11-30' });
    await check('get', '/api/v1/reports/cchc', 400, { query: '?period=Q1' });
    for (const format of ['xlsx', 'csv']) await check('get', '/api/v1/plans/{planId}/tasks', 200, { query: `?format=${format}` });
    await check('get', '/api/v1/audit/streams/{streamId}', 200, { ...inspector, query: '?withStates=true' });
    for (const view of ['plan-progress&planId=cchc-2022', 'inspection-log&inspectionId=kt-2022', 'recruitment-pipeline&recruitmentId=vc-2022', 'legal-register&year=2022']) {
      await check('get', '/api/v1/audit/diff', 200, { ...inspector, query: `?view=${view}&from=0` });
    }
    await check('get', '/api/v1/audit/activity', 200, { ...inspector, query: '?ownerUnit=phong-noi-vu' });
    await check('get', '/api/v1/audit/proof', 200, { ...inspector, query: '?position=1' });
    await check('get', '/api/v1/audit/proof', 404, { ...inspector, query: '?position=1&treeSize=999999' });
    await check('get', '/api/v1/audit/consistency', 200, { ...inspector, query: '?from=1' });
    await check('get', '/api/v1/audit/consistency', 400, { ...inspector, query: '?from=999999' });
    await check('post', '/api/v1/{collection}/{id}/events', 201, { send: examples.taskDefined(), ids: { id: 'T-70' } });
    await check('post', '/api/v1/events:batch', 201, { send: [{ stream: { kind: 'task', id: 'T-71' }, ...examples.taskDefined(), idempotencyKey: 'contract-item' }] });
    const issued = await check('post', '/api/v1/admin/api-keys', 201, { send: { role: 'manager', label: 'contract' } });
    await check('delete', '/api/v1/admin/api-keys/{keyId}', 200, { ids: { keyId: issued.body.keyId } });
    await check('get', '/api/v1/plans/{planId}/progress', 400, { query: '?asof=2022-11-30' });
    await check('get', '/api/v1/plans/{planId}/progress', 404, { ids: { planId: 'khong-co' } });
    await check('post', '/api/v1/{collection}/{id}/events', 422, { send: examples.taskCompleted() });
    for (const [method, path, status, res] of bodies) {
      const op = spec.paths[path]?.[method] as Operation | undefined;
      const media = op?.responses[String(status)]?.content ?? {};
      // A JSON body is checked against its schema; a file (DOCX, XLSX, CSV) by its type being one the route declares.
      const type = String(res.headers['content-type']).split(';')[0];
      expect({ method, path, status, type: Object.keys(media).includes(type) }).toEqual({ method, path, status, type: true });
      if (!type.endsWith('json')) continue;
      const errors: string[] = [];
      conforms(spec, media[type].schema, res.body, 'body', errors);
      expect({ method, path, status, errors }).toEqual({ method, path, status, errors: [] });
    }
    expect(bodies.length).toBeGreaterThan(25);
  }, 30_000); // many calls over HTTP, on a machine shared by several test suites
});
