import { ExaminePool } from './verify-pool';

describe('the examining workers', () => {
  it('refuse what a failed worker held and what is sent to it after, instead of leaving it waiting', async () => {
    const pool = new ExaminePool(undefined, 1);
    try {
      const line = (position: number) => JSON.stringify({
        globalPosition: position, eventId: '01890000-0000-7000-8000-000000000001', streamId: 's', streamVersion: 1, prevPosition: null,
        type: 'T', schemaVersion: 1, data: '{}', metadata: '{}', occurredAt: '2022-11-20T00:00:00.000000Z', recordedAt: '2022-11-20T00:00:00.000000Z',
        idempotencyKey: null, prevHash: '', hash: '', keyId: null, signature: null,
      });
      await expect(pool.examine(Buffer.from(line(1)))).resolves.toMatchObject({ position: [1] });
      // JSON, but no event: the worker throws and stops.
      const held = pool.examine(Buffer.from('{}\n'));
      await expect(held).rejects.toHaveProperty('message');
      await expect(pool.examine(Buffer.from(line(2)))).rejects.toHaveProperty('message');
    } finally {
      await pool.close();
    }
  });
});
