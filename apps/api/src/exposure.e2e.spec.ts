import { request as httpRequest } from 'node:http';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Refusals } from './audit/refusals';
import { appUnderTest, freshKey, spawnMain } from './testing';

const MB = 1024 * 1024;
/** An address of this machine beyond its loopback, where a demo must not be reachable. */
const outside = () => Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);

/** Sends a body of `bytes` (64 KiB chunks, never held whole) with no key; resolves with the status, or 0 if the server hung up first. */
const stranger = (port: number, bytes: number) => new Promise<number>((resolve) => {
  const chunk = Buffer.alloc(64 * 1024, '[');
  const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/events:batch', headers: { 'Content-Type': 'application/json', 'Content-Length': bytes } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  req.on('error', () => resolve(0));
  let sent = 0;
  const write = () => {
    while (sent < bytes) {
      sent += chunk.length;
      if (!req.write(sent > bytes ? chunk.subarray(0, chunk.length - (sent - bytes)) : chunk)) return void req.once('drain', write);
    }
    req.end();
  };
  write();
});

describe.each(testEngines().slice(0, 1))('what a stranger can reach, on $name PostgreSQL', (engine) => {
  it('listens on 127.0.0.1 only in demo mode; reads no body before the key: 60 concurrent 30 MB bodies leave the RSS under 400 MB; logs every refusal with its request id', async () => {
    const testDb = await engine.setup();
    const app = await spawnMain({ DATABASE_URL: testDb.url, DEMO_KEYS: 'true', SCENARIO: 'off', HOST: undefined, AUTH_FAILURES_PER_MINUTE: '1000' });
    try {
      await app.healthy();
      expect(app.output()).toContain('listening on 127.0.0.1 only');
      const address = outside();
      expect(address).toBeDefined();
      expect(await fetch(`http://${address}:${app.port}/health`).then(() => 'reached', (e: Error & { cause?: { code?: string } }) => e.cause?.code)).toBe('ECONNREFUSED');

      const status = () => readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
      const before = kib(status(), 'VmRSS');
      const answers = await Promise.all(Array.from({ length: 60 }, () => stranger(app.port, 30 * MB)));
      const peak = kib(status(), 'VmHWM');
      console.log(`60 × 30 MB unauthenticated: RSS ${Math.round(before / 1024)} MB before, peak ${Math.round(peak / 1024)} MB; answers ${JSON.stringify(Object.fromEntries([...new Set(answers)].map((s) => [s, answers.filter((a) => a === s).length])))}`);
      expect(peak).toBeLessThan(400 * 1024);
      expect(answers.filter((s) => s !== 401 && s !== 0)).toEqual([]);
      expect(answers.filter((s) => s === 401).length).toBeGreaterThan(0);

      // Refusals while reading the body, by the key's holder: each logged with the request id it was answered with.
      const base = `http://127.0.0.1:${app.port}`;
      const refuse = (id: string, init: RequestInit & { path: string }) =>
        fetch(`${base}${init.path}`, { method: 'POST', ...init, headers: { Authorization: 'Bearer demo-admin', 'Idempotency-Key': freshKey(), 'X-Request-Id': id, ...init.headers } }).then((r) => r.status);
      expect(await refuse('rid-400', { path: '/api/v1/tasks/T-1/events', headers: { 'Content-Type': 'application/json' }, body: '{"type":' })).toBe(400);
      expect(await refuse('rid-413', { path: '/api/v1/tasks/T-1/events', headers: { 'Content-Type': 'application/json' }, body: `"${'x'.repeat(300 * 1024)}"` })).toBe(413);
      expect(await refuse('rid-415', { path: '/api/v1/tasks/T-1/events', headers: { 'Content-Type': 'application/json; charset=latin1' }, body: '{}' })).toBe(415);
      expect(await refuse('rid-401', { path: '/api/v1/tasks/T-1/events', headers: { Authorization: 'Bearer nobody' }, body: '{}' })).toBe(401);
      for (let i = 0; i < 50 && !app.output().includes('rid-401'); i++) await new Promise((r) => setTimeout(r, 50));
      const logged = (id: string) => app.output().split('\n').filter((line) => line.includes(`"requestId":"${id}"`) || line.includes(`"id":"${id}"`)).length;
      expect(['rid-400', 'rid-413', 'rid-415', 'rid-401'].filter((id) => logged(id) === 0)).toEqual([]);
    } finally {
      await app.stop();
      await testDb.teardown();
    }
  }, 180_000);
});

describe('a demo on an address beyond this machine', () => {
  it('turns the demo keys off unless DEMO_KEYS=true, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rl-host-'));
    chmodSync(dataDir, 0o755);
    // DATABASE_URL set but empty is no server given: the embedded one, a demo (it used to connect to an empty URL).
    const app = await spawnMain({ DATABASE_URL: '', LEDGER_DATA_DIR: dataDir, LEDGER_SIGNING_KEY: join(dataDir, 'key.pem'), EMBEDDED_PG_PORT: '0', HOST: '0.0.0.0' });
    try {
      const address = outside()!;
      await app.healthy(address);
      expect(app.output()).toContain('demo keys are off: 0.0.0.0 is reachable beyond this machine; set DEMO_KEYS=true as well to have them there');
      const res = await fetch(`http://${address}:${app.port}/api/v1/plans`, { headers: { Authorization: 'Bearer demo-admin' } });
      expect(res.status).toBe(401);
    } finally {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.each(testEngines())('refused attempts kept outside the ledger, on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine, { refusalRetention: { days: 30, entries: 5 } });

  it('lists 401 and 403 refusals for inspectors (newest first, with key, address and request id), keeps 30 days or N entries, and stores no event', async () => {
    const server = t.app.getHttpServer();
    const head = await t.ledger.headPosition();
    await request(server).get('/api/v1/plans').set('Authorization', 'Bearer nobody').set('X-Request-Id', 'refused-1').expect(401);
    await request(server).post('/api/v1/admin/api-keys').set('Authorization', 'Bearer demo-manager').set('X-Request-Id', 'refused-2').send({ role: 'admin' }).expect(403);
    await request(server).post(`/api/v1/units/${examples.UNITS.district}/events`).set('X-Request-Id', 'refused-3').send({}).expect(401);
    const list = async () => {
      for (let i = 0; i < 50; i++) {
        const res = await request(server).get('/api/v1/audit/refusals').set('Authorization', 'Bearer demo-inspector').expect(200);
        if (res.body.refusals.length >= 3) return res.body;
        await new Promise((r) => setTimeout(r, 20)); // refusals are stored after they are answered
      }
      throw new Error('refusals not stored');
    };
    const { refusals } = await list();
    expect(refusals.slice(0, 3).map((r: { requestId: string; status: number; code: string; keyId?: string }) => [r.requestId, r.status, r.code, r.keyId ?? null])).toEqual([
      ['refused-3', 401, 'auth.missing', null], ['refused-2', 403, 'auth.role_forbidden', 'demo-manager'], ['refused-1', 401, 'auth.invalid_key', null],
    ]);
    expect(refusals[0]).toMatchObject({ method: 'POST', address: expect.stringMatching(/127\.0\.0\.1/) });
    await request(server).get('/api/v1/audit/refusals').set('Authorization', 'Bearer demo-manager').expect(403);

    // Retention: what is older than 30 days goes, and no more than the newest N entries stay.
    await t.db.pool.query(`INSERT INTO refusals (at, status, code, method, path, address, request_id) VALUES (now() - interval '31 days', 401, 'auth.missing', 'GET', '/old', '::1', 'old')`);
    for (let i = 0; i < 6; i++) await request(server).get('/api/v1/plans').set('X-Request-Id', `flood-${i}`).expect(401);
    await new Promise((r) => setTimeout(r, 200));
    await t.app.get(Refusals).prune();
    const kept = (await request(server).get('/api/v1/audit/refusals').set('Authorization', 'Bearer demo-inspector')).body.refusals;
    expect(kept.map((r: { requestId: string }) => r.requestId)).toEqual(['flood-5', 'flood-4', 'flood-3', 'flood-2', 'flood-1']);
    expect(await t.ledger.headPosition()).toBe(head);
  });
});

describe.each(testEngines())('failed authentication throttled per address, on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine, { authFailuresPerMinute: 5 });

  it('answers 429 with Retry-After beyond 5 failures a minute, counting only failures: a working key is never slowed', async () => {
    const server = t.app.getHttpServer();
    const attempt = () => request(server).get('/api/v1/plans').set('Authorization', 'Bearer guess');
    for (let i = 0; i < 4; i++) expect((await attempt()).status).toBe(401);
    for (let i = 0; i < 60; i++) expect((await request(server).get('/api/v1/plans').set('Authorization', 'Bearer demo-manager')).status).toBe(200);
    // Nor do requests with no key at all (the web app's sign-in page before a key is pasted): they guess nothing.
    for (let i = 0; i < 40; i++) expect((await request(server).get('/api/v1/units')).status).toBe(401);
    expect((await attempt()).status).toBe(401); // the fifth failure: 60 successes and 40 keyless requests in between counted for nothing
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: 'auth.too_many_failures' });
    // Blocked: the address gets 429 before any key is looked at, so a guess that happens to be right tells nothing.
    expect((await request(server).get('/api/v1/plans').set('Authorization', 'Bearer demo-manager')).status).toBe(429);
  }, 60_000);
});
