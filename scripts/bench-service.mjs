// `npm run bench:service`: a load benchmark of the reference user service (never a test; its
// figures depend on the machine). Builds the service (`npm run build:server`), starts it as its own
// process through the `latch-server` bin with production settings (scrypt N=2^15, r=8, p=3) on
// 127.0.0.1, and measures over loopback only, with bounded loops:
//   1. password-login and GET /config throughput and latency at concurrency 1, 8, 32, 128;
//   2. GET /config p99 idle and during a one-client login storm;
//   3. another client's login latency during that storm.
//   4. where the time goes: GET /healthz (HTTP and one database round trip), GET /config (HTTP and
//      the config read), one scrypt hash alone in this process, against a login's latency.
// Clients are told apart by their source address (127.0.0.x), as the service keys its hashing
// queue and limits on the socket's peer address.
// Options: BENCH_PORT (default 8811; a second instance listens on the next port),
// BENCH_LEVELS (default "1,8,32,128"), BENCH_DATABASE ("sqlite", the default: a fresh file; or
// "postgres": a scratch PostgreSQL server from scripts/postgres.mjs; or a postgres:// URL),
// BENCH_INSTANCES (1 or 2: two service processes on the one database, each client address sent to
// one of them as a load balancer with sticky connections would). `npm run bench:service -- --matrix`
// runs SQLite and PostgreSQL with one and two instances at concurrency 32 and prints one table.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ROOT = join(import.meta.dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 8811);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,8,32,128').split(',').map(Number).filter((n) => n > 0);
/** The ports of the running instances; a client address always goes to the same one. */
let ports = workerData?.storm?.ports ?? [PORT];
const portFor = (from) => ports[Number(from.split('.').at(-1)) % ports.length];
const TOKEN = 'bench-admin-token-0123456789abcdef0123456789';
const APP = '/service/application/user';
const LOGIN = `${APP}/authentication/v1.0/login/password`;
const CONFIG = `${APP}/platform/v1.0/config`;
const ADMIN = '/service/platform/user/v1.0/company/1/application/000000000000000000000001';
const PASSWORD = 'bench password that is long enough';
/** Shoppers the throughput rows sign in as: at 128 clients, 4 sign-ins of one account at a time. */
const SHOPPERS = 32;

const agents = new Map();
/** One keep-alive agent per source address, so each "client" reuses its own connections. */
function agentFor(localAddress) {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: Infinity, localAddress });
    agents.set(localAddress, agent);
  }
  return agent;
}

/** One request; resolves with its status and duration in ms (never rejects: errors are status 0). */
function call(method, path, { body, from = '127.0.0.1', headers = {} } = {}) {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    const req = request(
      `http://127.0.0.1:${portFor(from)}${path}`,
      {
        method,
        agent: agentFor(from),
        headers: { ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(data);
  });
}

const login = (username, from) => call('POST', LOGIN, { body: { username, password: PASSWORD }, from });
const readConfig = (from) => call('GET', CONFIG, { from });

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(results, seconds) {
  const ok = results.filter((r) => r.status === 200).map((r) => r.ms).sort((a, b) => a - b);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    requests: results.length,
    statuses,
    perSecond: ok.length / seconds,
    p50: percentile(ok, 50),
    p95: percentile(ok, 95),
    p99: percentile(ok, 99),
    max: ok.at(-1) ?? NaN,
  };
}

/** `concurrency` workers, each sending `perWorker` requests one after another. */
async function closedLoop(concurrency, perWorker, send) {
  const results = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; i < perWorker; i++) results.push(await send(worker, i));
    }),
  );
  return summary(results, (performance.now() - started) / 1000);
}

/**
 * A login storm from one client address, in its own thread so that handling its answers does not
 * delay the measuring requests' event loop. `polite`: a refused login is retried after its
 * Retry-After (what a well-behaved client does); otherwise at once (a flood). Bounded by
 * `maxRequests`; stop() ends it and returns its answers' statuses.
 */
function storm(concurrency, from, username, { polite, maxRequests = 50_000 }) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { storm: { concurrency, from, username, polite, maxRequests, ports } } });
  const ready = new Promise((resolve) => worker.once('message', resolve));
  return {
    ready,
    async stop() {
      const done = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const statuses = await done;
      await worker.terminate();
      return statuses;
    },
  };
}

async function stormWorker({ concurrency, from, username, polite, maxRequests }) {
  let stopped = false;
  let sent = 0;
  const statuses = {};
  parentPort.on('message', () => (stopped = true));
  parentPort.postMessage('started');
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stopped && sent < maxRequests) {
        sent++;
        const r = await login(username, from);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (polite && r.status === 503) await new Promise((resolve) => setTimeout(resolve, r.retryAfter * 1000));
      }
    }),
  );
  for (const agent of agents.values()) agent.destroy();
  parentPort.postMessage(statuses);
}

const fmt = (ms) => (Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`) : '-');
const statusText = (s) => Object.entries(s).map(([k, v]) => `${k}×${v}`).join(' ');

/** Starts one compiled service process on `port`; resolves with what it printed once it listens. */
async function startInstance(port, database, dir) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'latch-server.cjs')], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE: database, NODE_ENV: 'production', ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${out}`)));
  });
  return { child, out };
}

/** A database for one run: a fresh SQLite file, or a fresh schema on PostgreSQL. */
async function benchDatabase(kind, dir) {
  if (kind === 'sqlite') return { url: join(dir, 'bench.db'), label: 'SQLite (WAL file)', drop: async () => {} };
  let server = kind;
  let stop = () => {};
  if (kind === 'postgres') {
    server = execFileSync(process.execPath, [join(ROOT, 'scripts', 'postgres.mjs'), 'start'], { encoding: 'utf8' }).trim().split('\n').at(-1);
    stop = () => execFileSync(process.execPath, [join(ROOT, 'scripts', 'postgres.mjs'), 'stop'], { stdio: 'ignore' });
  }
  const { default: pg } = await import('pg');
  const schema = `bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(server);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    label: 'PostgreSQL 15',
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
      stop();
    },
  };
}

/** One scrypt hash with the service's production parameters, in this process: the hashing floor. */
function hashOnce() {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    scrypt('bench password that is long enough', 'sixteen byte salt', 64, { N: 2 ** 15, r: 8, p: 3, maxmem: 256 * 1024 * 1024 }, (err) =>
      err ? reject(err) : resolve(performance.now() - started),
    ),
  );
}

/** Every measure for one database and instance count; prints its tables unless `quiet`. */
async function runSetup({ database, instances, levels, quiet }) {
  const dir = mkdtempSync(join(tmpdir(), 'latch-bench-'));
  const db = await benchDatabase(database, dir);
  ports = Array.from({ length: instances }, (_, i) => PORT + i);
  const started = [];
  const log = quiet ? () => {} : (line) => console.log(line);
  try {
    // One at a time: the first applies the migrations, the second finds them done.
    for (const port of ports) started.push(await startInstance(port, db.url, dir));
    const hashing = /hashing: +([^\n]*)/.exec(started[0].out)?.[1] ?? '';
    // Shoppers for the throughput rows: parallel sign-ins of one account are capped by its
    // failed-attempt limit (each reserves an attempt until it succeeds), so workers share 32.
    const shoppers = Array.from({ length: SHOPPERS }, (_, i) => `bench${i}@example.com`);
    for (const email of [...shoppers, 'storm@example.com', 'other@example.com']) {
      const res = await call('POST', `${ADMIN}/customers?verified=true`, { body: { email, first_name: 'Bench', password: PASSWORD }, headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`creating ${email}: ${res.status}`);
    }
    log(`\n### ${db.label}, ${instances} instance${instances > 1 ? 's' : ''}`);
    log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
    log(`service: ${hashing}\n`);

    const byLevel = {};
    log('| requests | concurrency | sent | answers | ok/s | p50 | p95 | p99 | max |');
    log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of levels) {
      // Logins from c different shoppers' addresses (127.0.0.10, .11, ...), 32 logins at least per level.
      const perWorker = Math.max(1, Math.ceil(32 / c));
      const r = await closedLoop(c, perWorker, (w) => login(shoppers[w % SHOPPERS], `127.0.0.${10 + (w % 200)}`));
      (byLevel[c] ??= {}).login = r;
      log(`| login | ${c} | ${r.requests} | ${statusText(r.statuses)} | ${r.perSecond.toFixed(1)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
    }
    for (const c of levels) {
      const perWorker = Math.max(1, Math.ceil(4000 / c));
      const r = await closedLoop(c, perWorker, (w) => readConfig(`127.0.0.${10 + (w % 200)}`));
      byLevel[c].config = r;
      log(`| GET /config | ${c} | ${r.requests} | ${statusText(r.statuses)} | ${r.perSecond.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
    }

    // Where a login's time goes, one request at a time: HTTP plus one database round trip
    // (/healthz), HTTP plus the config read, the hash alone, and the whole login.
    const health = await closedLoop(1, 200, () => call('GET', '/healthz', { from: '127.0.0.4' }));
    const config1 = await closedLoop(1, 200, () => readConfig('127.0.0.4'));
    const hashes = [];
    for (let i = 0; i < 5; i++) hashes.push(await hashOnce());
    hashes.sort((a, b) => a - b);

    // GET /config idle, then the same during login storms from one client (127.0.0.1) while another
    // shopper (127.0.0.2) signs in, one login after another.
    const idle = await closedLoop(8, 250, () => readConfig('127.0.0.3'));
    // A lone login with nothing else running: the unit the storm figures compare against.
    const lone = await closedLoop(1, 5, () => login('other@example.com', '127.0.0.2'));
    const rows = [];
    for (const polite of [true, false]) {
      const s1 = storm(64, '127.0.0.1', 'storm@example.com', { polite });
      await s1.ready;
      const busy = await closedLoop(8, 250, () => readConfig('127.0.0.3'));
      const other = await closedLoop(1, 10, () => login('other@example.com', '127.0.0.2'));
      rows.push({ polite, busy, other, stormed: await s1.stop() });
    }

    log(`\nwhere a login's time goes (one request at a time, p50): GET /healthz ${fmt(health.p50)} (HTTP and a database round trip), ` +
      `GET /config ${fmt(config1.p50)}, one scrypt hash alone ${fmt(percentile(hashes, 50))}, a whole login ${fmt(lone.p50)}`);
    log(`idle: GET /config (8 at once) p50 ${fmt(idle.p50)}, p99 ${fmt(idle.p99)}; a lone login p50 ${fmt(lone.p50)}\n`);
    log('| one client storms logins, 64 at once | GET /config p50 | GET /config p99 (vs idle; goal 2x) | other client login p50 / max (goal 2 s) | storm answers |');
    log('| --- | ---: | ---: | ---: | --- |');
    for (const { polite, busy, other, stormed } of rows) {
      log(
        `| ${polite ? 'retrying after Retry-After' : 'retrying at once (flood)'} | ${fmt(busy.p50)} | ${fmt(busy.p99)} (${(busy.p99 / idle.p99).toFixed(1)}x) | ` +
          `${fmt(other.p50)} / ${fmt(other.max)} (${(other.p50 / lone.p50).toFixed(1)}x a lone login; ${statusText(other.statuses)}) | ${statusText(stormed)} |`,
      );
    }
    return { label: db.label, instances, byLevel, idle, lone, health, config1, hash: percentile(hashes, 50), storm: rows[0] };
  } finally {
    for (const { child } of started) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    for (const agent of agents.values()) agent.destroy();
    agents.clear();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`building the service (npm run build:server) ...`);
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.server.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  if (!process.argv.includes('--matrix')) {
    await runSetup({ database: process.env.BENCH_DATABASE ?? 'sqlite', instances: Number(process.env.BENCH_INSTANCES ?? 1), levels: LEVELS });
    return;
  }
  const results = [];
  for (const database of ['sqlite', 'postgres']) {
    for (const instances of [1, 2]) results.push(await runSetup({ database, instances, levels: [32], quiet: true }));
  }
  console.log(`\nmachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; 32 clients at once\n`);
  console.log('| database | instances | logins/s | login p50 | GET /config /s | /config p99 | /config p99 in a login storm | other login p50 in the storm | /healthz p50 | one hash |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const { login: l, config: c } = r.byLevel[32];
    console.log(
      `| ${r.label} | ${r.instances} | ${l.perSecond.toFixed(1)} | ${fmt(l.p50)} | ${c.perSecond.toFixed(0)} | ${fmt(c.p99)} | ` +
        `${fmt(r.storm.busy.p99)} (${(r.storm.busy.p99 / r.idle.p99).toFixed(1)}x idle) | ${fmt(r.storm.other.p50)} | ${fmt(r.health.p50)} | ${fmt(r.hash)} |`,
    );
  }
}

if (isMainThread) await main();
else await stormWorker(workerData.storm);
