import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` between `begin` and COMMIT on one pooled connection, and rolls back when it fails. A
 * connection whose ROLLBACK fails too is dropped by the pool instead of being handed out again.
 */
export const withTransaction = async <T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
