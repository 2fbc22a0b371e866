import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The CLI says what is wrong, for a person: a sentence and exit code 2, no stack trace, no usage line alone. */
const cli = (...args: (string | Record<string, string>)[]) => {
  const env = args.find((a): a is Record<string, string> => typeof a !== 'string');
  const run = spawnSync(process.execPath, ['-r', './tools/register.js', 'tools/cli.ts', ...args.filter((a): a is string => typeof a === 'string')], {
    cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...env },
  });
  return { status: run.status, stderr: run.stderr.trim(), stdout: run.stdout.trim() };
};

describe('the command line', () => {
  it('names a bundle it cannot read and why', () => {
    const run = cli('verify', 'no-such-bundle.tar');
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toBe('no-such-bundle.tar: no such file (a bundle comes from GET /api/v1/audit/export; a head from GET /api/v1/audit/tree-head)');
  }, 30_000);

  it('names an unknown view and lists the views, before opening any database', () => {
    const run = cli('rebuild', 'plan-progres');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('there is no view "plan-progres": the views are plan-progress, inspection-log, recruitment-pipeline, legal-register, registry (or all, to rebuild every one)');
    expect(cli('rebuild').stderr).toMatch(/^which view\? npm run rebuild -- <view\|all>; the views are plan-progress, /);
  }, 30_000);

  it('checks the report flags before opening any database, and says what is wrong', () => {
    const run = cli('report');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^usage: npm run report -- cchc --year <yyyy>/);
    const day = cli('report', 'cchc', '--year', '2022', '--as-of', '2022-11-31', '-o', 'x.docx');
    expect(day.status).toBe(2);
    expect(day.stderr).toMatch(/^.*--as-of: ngày 31 không có trong tháng 11\/2022/m);
    expect(day.stderr).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
  }, 30_000);

  it('exits non-zero on a refusal when it started its own embedded PostgreSQL', () => {
    const data = mkdtempSync(join(tmpdir(), 'rl-cli-'));
    chmodSync(data, 0o755);
    try {
      const full = join(data, 'full');
      mkdirSync(full);
      writeFileSync(join(full, 'something'), '');
      const run = cli('backup', full, { DATABASE_URL: '', LEDGER_DATA_DIR: data, EMBEDDED_PG_PORT: '0' });
      expect(run.stderr).toContain('is not empty: back up into a new directory');
      expect(run.status).toBe(2);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 90_000);
});
