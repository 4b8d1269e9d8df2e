// The service as the package ships it: `npm run build:server` compiles src/server to JavaScript,
// the compiled code imports nothing but Node built-ins and the package's runtime dependencies (so
// `npm install --omit=dev` is enough), and the `latch-server` bin starts it with plain Node (no
// tsx) and sizes libuv's thread pool for hashing before the pool starts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { threadPoolSize } from '../../src/server/services/hash-queue';

const ROOT = join(import.meta.dirname, '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the packaged service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-package-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.server.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr + build.stdout);
  });

  it('compiles to JavaScript that imports only Node built-ins and runtime dependencies', () => {
    const files = jsFiles(join(ROOT, 'dist', 'server'));
    assert.ok(files.some((f) => f.endsWith(join('dist', 'server', 'main.js'))));
    const bare = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (!spec.startsWith('.')) bare.add(spec);
      }
    }
    assert.ok(bare.has('hono') && bare.has('better-sqlite3'), [...bare].join(', '));
    const packageOf = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const outside = [...bare].filter((spec) => !spec.startsWith('node:') && !(packageOf(spec) in PKG.dependencies));
    assert.deepEqual(outside, [], 'every package the compiled service imports is a runtime dependency');
  });

  it('is started by the latch-server bin with plain node and answers /healthz', async () => {
    const bin = PKG.bin['latch-server'];
    assert.ok(bin && existsSync(join(ROOT, bin)));
    assert.ok(PKG.files.includes('bin') && PKG.files.includes('dist'), 'the bin and the build are published');

    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE: join(dir, 'latch.db'), NODE_ENV: 'production', ADMIN_TOKEN: 'package-test-admin-token-0123456789abcdef' };
    delete env['NODE_OPTIONS'];
    delete env['UV_THREADPOOL_SIZE'];
    const child = spawn(process.execPath, [join(ROOT, bin)], { cwd: dir, env, stdio: 'pipe' });
    let out = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c;
          const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited (${code}): ${out}${stderr}`)));
      });
      const health = await get(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
      assert.match(out, new RegExp(`libuv thread pool ${threadPoolSize()};`), 'the bin sized the thread pool');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
