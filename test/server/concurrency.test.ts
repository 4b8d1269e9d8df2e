// Several processes on one SQLite file, as with two instances of the service behind one proxy:
// config writes (read, merge, write) from three processes at once all succeed, none is lost, and
// the first start's migrations run once even when the processes open a new file together.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase, MIGRATIONS } from '../../src/server/store/db';
import { SqliteSql } from '../../src/server/store/sql';

const WRITER = join(import.meta.dirname, 'fixtures', 'config-writer.ts');

interface Result {
  ok: number;
  errors: string[];
  errorCount: number;
}

/** Starts a writer process and resolves once it is ready; `result` resolves with its report. */
async function writer(file: string, count: number, name: string): Promise<{ child: ChildProcessWithoutNullStreams; result: Promise<Result> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(count), name], { stdio: 'pipe' });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited before it was ready: ${stderr}`)));
  });
  const result = new Promise<Result>((resolve, reject) => {
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line) as Result);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
  await ready;
  return { child, result };
}

describe('several processes on one database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-concurrency-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('config writes from three processes at once all succeed and none is lost', async () => {
    const file = join(dir, 'shared.db');
    const count = 300;
    const writers = await Promise.all(['a', 'b', 'c'].map((name) => writer(file, count, name)));
    // All three open the new file (and migrate it) and write at the same moment.
    for (const w of writers) w.child.stdin.end('go\n');
    const results = await Promise.all(writers.map((w) => w.result));
    for (const r of results) assert.deepEqual({ ok: r.ok, errors: r.errors }, { ok: count, errors: [] });

    const sql = new SqliteSql(openDatabase(file));
    try {
      const row = await sql.get('SELECT version, overrides FROM platform_config') as { version: number; overrides: string };
      assert.equal(row.version, 3 * count, 'every merge counted once');
      const meta = (JSON.parse(row.overrides) as { meta: Record<string, number> }).meta;
      for (const name of ['a', 'b', 'c']) {
        for (let k = 0; k < 7; k++) assert.ok(`${name}_${k}` in meta, `${name}_${k} survived the other processes' merges`);
      }
      const migrations = { n: Number((await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations'))!.n) };
      assert.equal(migrations.n, MIGRATIONS.length);
    } finally {
      await sql.close();
    }
  });
});
