// A throwaway PostgreSQL server for the PostgreSQL test suite (npm run test:server:postgres).
//   node scripts/postgres.mjs start            starts it (or finds it running), prints its URL
//   node scripts/postgres.mjs stop             stops it and deletes its files
//   node scripts/postgres.mjs run -- cmd ...   start, run cmd with LATCH_TEST_DATABASE=<url>, stop,
//                                              exit with cmd's code
// It uses Debian's PostgreSQL binaries, installed with apt-get when missing and we are root (CI's
// fresh machine), like ensure-chromium.mjs. The cluster lives in a temp directory per port, listens
// on 127.0.0.1 only with trust auth (nothing but this machine can reach it, and its data is test
// data), and runs without fsync: durability is worthless for a database deleted after the run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.PGPORT || 5433);
const database = 'latch_test';
const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
const dir = join(tmpdir(), `latch-postgres-${port}`);
const data = join(dir, 'data');
const log = join(dir, 'server.log');
const isRoot = process.getuid?.() === 0;

/** The newest installed PostgreSQL's bin directory (Debian keeps one per major version). */
function binDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function ensureInstalled() {
  const found = binDir();
  if (found) return found;
  const install = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql';
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error('PostgreSQL was not found under /usr/lib/postgresql.');
    console.error(`Install it with:\n  sudo sh -c '${install}'\nor point LATCH_TEST_DATABASE at a server of your own (see src/server/README.md).`);
    process.exit(1);
  }
  console.log("PostgreSQL is missing; installing Debian's postgresql package…");
  execFileSync('sh', ['-c', install], { stdio: 'inherit' });
  const bin = binDir();
  if (!bin) {
    console.error('The install finished but no initdb is under /usr/lib/postgresql.');
    process.exit(1);
  }
  return bin;
}

/** Runs a PostgreSQL tool as the `postgres` OS user when we are root (the server refuses root). */
function pgTool(bin, tool, args, options = {}) {
  const exe = join(bin, tool);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', ...options });
}

function check(result, what) {
  if (result.status === 0) return result;
  console.error(`${what} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (existsSync(log)) console.error(`(server log: ${log})`);
  process.exit(1);
}

function running(bin) {
  return existsSync(data) && pgTool(bin, 'pg_ctl', ['status', '-D', data]).status === 0;
}

/** Starts the server unless it already runs; returns whether this call started it. */
function start() {
  const bin = ensureInstalled();
  if (running(bin)) return false;
  // A directory left by a crashed run holds nothing worth keeping.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const owner = isRoot ? 'postgres' : userInfo().username;
  check(
    pgTool(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']),
    `initdb (as ${owner})`,
  );
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  check(pgTool(bin, 'pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options]), 'pg_ctl start');
  check(pgTool(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]), 'createdb');
  return true;
}

function stop() {
  const bin = binDir();
  if (bin && running(bin)) check(pgTool(bin, 'pg_ctl', ['stop', '-w', '-m', 'fast', '-D', data]), 'pg_ctl stop');
  rmSync(dir, { recursive: true, force: true });
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'start') {
  start();
  console.log(url);
} else if (command === 'stop') {
  stop();
} else if (command === 'run') {
  const argv = rest[0] === '--' ? rest.slice(1) : rest;
  if (!argv.length) {
    console.error('usage: node scripts/postgres.mjs run -- <command…>');
    process.exit(2);
  }
  // A server someone started by hand stays up afterwards; one this run started goes.
  const started = start();
  console.log(`PostgreSQL at ${url}`);
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, LATCH_TEST_DATABASE: url } });
  // Ctrl-C reaches the child through the terminal; waiting for it lets the server be stopped after.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (started) stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
} else {
  console.error('usage: node scripts/postgres.mjs start | stop | run -- <command…>');
  process.exit(2);
}
