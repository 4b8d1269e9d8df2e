// `npm run bench:service`: a load benchmark of the reference user service (never a test; its
// figures depend on the machine). Builds the service (`npm run build:server`), starts it as its own
// process through the `latch-server` bin with production settings (scrypt N=2^15, r=8, p=3) on
// 127.0.0.1, and measures over loopback only, with bounded loops:
//   1. password-login and GET /config throughput and latency at concurrency 1, 8, 32, 128;
//   2. GET /config p99 idle and during a one-client login storm;
//   3. another client's login latency during that storm.
// Clients are told apart by their source address (127.0.0.x), as the service keys its hashing
// queue and limits on the socket's peer address.
// Options: BENCH_PORT (default 8811), BENCH_LEVELS (default "1,8,32,128").
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ROOT = join(import.meta.dirname, '..');
const PORT = Number(workerData?.storm?.port ?? process.env.BENCH_PORT ?? 8811);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,8,32,128').split(',').map(Number).filter((n) => n > 0);
const BASE = `http://127.0.0.1:${PORT}`;
const TOKEN = 'bench-admin-token-0123456789abcdef0123456789';
const APP = '/service/application/user';
const LOGIN = `${APP}/authentication/v1.0/login/password`;
const CONFIG = `${APP}/platform/v1.0/config`;
const ADMIN = '/service/platform/user/v1.0/company/1/application/000000000000000000000001';
const PASSWORD = 'bench password that is long enough';

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
      BASE + path,
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
  const worker = new Worker(new URL(import.meta.url), { workerData: { storm: { concurrency, from, username, polite, maxRequests, port: PORT } } });
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

async function main() {
  console.log(`building the service (npm run build:server) ...`);
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.server.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const dir = mkdtempSync(join(tmpdir(), 'latch-bench-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'latch-server.cjs')], {
    cwd: dir,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE: join(dir, 'bench.db'), NODE_ENV: 'production', ADMIN_TOKEN: TOKEN },
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
  const hashing = /hashing: +([^\n]*)/.exec(out)?.[1] ?? '';
  try {
    for (const email of ['bench@example.com', 'storm@example.com', 'other@example.com']) {
      const res = await call('POST', `${ADMIN}/customers`, { body: { email, first_name: 'Bench', password: PASSWORD }, headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`creating ${email}: ${res.status}`);
    }
    console.log(`\nmachine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
    console.log(`service: ${hashing}\n`);

    console.log('| requests | concurrency | sent | answers | ok/s | p50 | p95 | p99 | max |');
    console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of LEVELS) {
      // Logins from c different shoppers' addresses (127.0.0.10, .11, ...), 32 logins at least per level.
      const perWorker = Math.max(1, Math.ceil(32 / c));
      const r = await closedLoop(c, perWorker, (w) => login('bench@example.com', `127.0.0.${10 + (w % 200)}`));
      console.log(`| login | ${c} | ${r.requests} | ${statusText(r.statuses)} | ${r.perSecond.toFixed(1)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
    }
    for (const c of LEVELS) {
      const perWorker = Math.max(1, Math.ceil(4000 / c));
      const r = await closedLoop(c, perWorker, (w) => readConfig(`127.0.0.${10 + (w % 200)}`));
      console.log(`| GET /config | ${c} | ${r.requests} | ${statusText(r.statuses)} | ${r.perSecond.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`);
    }

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

    console.log(`\nidle: GET /config (8 at once) p50 ${fmt(idle.p50)}, p99 ${fmt(idle.p99)}; a lone login p50 ${fmt(lone.p50)}\n`);
    console.log('| one client storms logins, 64 at once | GET /config p50 | GET /config p99 (vs idle; goal 2x) | other client login p50 / max (goal 2 s) | storm answers |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    for (const { polite, busy, other, stormed } of rows) {
      console.log(
        `| ${polite ? 'retrying after Retry-After' : 'retrying at once (flood)'} | ${fmt(busy.p50)} | ${fmt(busy.p99)} (${(busy.p99 / idle.p99).toFixed(1)}x) | ` +
          `${fmt(other.p50)} / ${fmt(other.max)} (${(other.p50 / lone.p50).toFixed(1)}x a lone login; ${statusText(other.statuses)}) | ${statusText(stormed)} |`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    for (const agent of agents.values()) agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else await stormWorker(workerData.storm);
