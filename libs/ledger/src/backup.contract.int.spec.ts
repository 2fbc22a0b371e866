import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { backupLedger, exportLedger, KeyRing, Ledger, LedgerTree, restoreLedger, TreeHead, verifyBundle } from './index';
import { testEngines, twoDatabases, TwoDatabases } from './testing/engines';

describe.each(testEngines())('backup and restore on $name PostgreSQL', (engine) => {
  const keys = KeyRing.ephemeral();
  let pair: TwoDatabases;
  beforeAll(async () => (pair = await twoDatabases(engine, 'rl-backup-')), 120_000);
  afterAll(() => pair?.close(), 60_000);

  const signThrough = async (tree: LedgerTree, size: number): Promise<TreeHead> => {
    while ((await tree.size()).size < size) await tree.extend(keys);
    return (await tree.latestHead())!;
  };

  it('restores into a fresh database a ledger that verifies against a head kept before the backup, and goes on from there', async () => {
    const { from, to, dir } = pair;
    const ledger = new Ledger(from.pool, { signer: keys });
    for (let i = 0; i < 12; i++) await ledger.append(`task:T-${i % 4}`, [{ type: 'TaskCompleted', data: { i }, occurredAt: '2022-11-20' }], { idempotencyKey: `k-${i}` });
    const kept = await signThrough(new LedgerTree(from.pool), 12);
    await ledger.append('task:T-9', [{ type: 'TaskCompleted', data: { i: 12 }, occurredAt: '2022-11-21' }, { type: 'TaskReopened', data: {}, occurredAt: '2022-11-22' }]);
    await signThrough(new LedgerTree(from.pool), 14);

    const backup = join(dir, 'b1');
    const manifest = await backupLedger(from.pool, backup, keys.records);
    expect(manifest.tables.find((t) => t.name === 'ledger_events')!.rows).toBe(14);
    expect(manifest.latestHead).toMatchObject({ treeSize: 14 });
    expect(readdirSync(backup).sort()).toEqual(expect.arrayContaining(['backup.json', 'head.json', 'public-keys.json', 'ledger_events.copy']));

    await restoreLedger(to.pool, backup);
    const restored = new Ledger(to.pool, { signer: keys });
    expect(await restored.verify({ keys, trusted: [kept] })).toMatchObject({ ok: true, checked: 14, treeSize: 14 });
    // The feed waits behind any transaction writing anywhere on the server (on a shared one, others' too).
    while ((await restored.headPosition()) < 14) await new Promise((resolve) => setImmediate(resolve));
    const chunks: Buffer[] = [];
    await exportLedger(restored, new PassThrough().on('data', (c: Buffer) => chunks.push(c)), { after: 0, to: 14, keys: keys.records });
    expect(await verifyBundle(Buffer.concat(chunks), { trustedHead: kept, threads: 1 })).toMatchObject({ ok: true, checked: 14 });

    // The restored ledger goes on: the feed sees every restored event, retries still deduplicate, new appends follow.
    expect(await restored.append('task:T-1', [{ type: 'TaskCompleted', data: { i: 1 }, occurredAt: '2022-11-20' }], { idempotencyKey: 'k-1' }))
      .toMatchObject({ duplicate: true });
    const next = await restored.append('task:T-1', [{ type: 'TaskReopened', data: {}, occurredAt: '2022-11-23' }]);
    expect(next.firstPosition).toBe(15);
    while ((await restored.headPosition()) < 15) await new Promise((resolve) => setImmediate(resolve));
    expect((await restored.readAll({ limit: 100 })).map((e) => e.globalPosition)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    await signThrough(new LedgerTree(to.pool), 15);
    expect(await restored.verify({ keys, trusted: [kept] })).toMatchObject({ ok: true, checked: 15 });

    await expect(restoreLedger(to.pool, backup)).rejects.toThrow('already holds a ledger');
  }, 120_000);
});
