// The layers of the reference service stay one way: routes -> services -> store, with http/ holding
// the request plumbing. This test reads every import of every file under src/server and fails when a
// route reaches the store or another route, SQL runs outside store/, a service reaches Hono or a route,
// or the store reaches up; and it follows imports through the modules in between (context.ts, say), so
// services, the store and the shared helpers cannot reach Hono by way of a top-level file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'server');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, relative ones resolved to src/server paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const pattern = /^\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(pattern)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    specs.push(spec.startsWith('.') ? relative(SERVER, resolve(dirname(file), spec)).replace(/\\/g, '/').replace(/\.ts$/, '') : spec);
  }
  return specs;
}

const graph = new Map(tsFiles(SERVER).map((file) => [relative(SERVER, file).replace(/\\/g, '/'), importsOf(file)]));
const inLayer = (layer: string) => [...graph].filter(([file]) => file.startsWith(`${layer}/`));
const isHono = (spec: string) => spec === 'hono' || spec.startsWith('hono/') || spec.startsWith('@hono/');

/** The src/server file a spec names ("context" -> "context.ts"), or undefined for a package. */
function fileOf(spec: string): string | undefined {
  return [`${spec}.ts`, `${spec}/index.ts`].find((file) => graph.has(file));
}

/**
 * The import chain from `file` to the first module spec that `forbidden` matches, following every
 * src/server module on the way (breadth first, so the chain is a shortest one), or undefined.
 */
function chainTo(file: string, forbidden: (spec: string) => boolean): string[] | undefined {
  const cameFrom = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const spec of graph.get(next)!) {
      if (forbidden(spec)) return [...cameFrom.get(next)!, spec];
      const target = fileOf(spec);
      if (target && !cameFrom.has(target)) {
        cameFrom.set(target, [...cameFrom.get(next)!, target]);
        queue.push(target);
      }
    }
  }
  return undefined;
}

function reachViolations(layer: string, forbidden: (spec: string) => boolean): string[] {
  return inLayer(layer).flatMap(([file]) => {
    const chain = chainTo(file, forbidden);
    return chain ? [chain.join(' -> ')] : [];
  });
}

function violations(layer: string, forbidden: (spec: string, file: string) => boolean): string[] {
  return inLayer(layer).flatMap(([file, specs]) => specs.filter((spec) => forbidden(spec, file)).map((spec) => `${file} imports ${spec}`));
}

describe('the layers of src/server', () => {
  it('reads the imports it checks (the parser finds known edges)', () => {
    // Guards the test itself: if the regex stopped matching, every rule below would pass vacuously.
    assert.ok(inLayer('routes').length > 5 && inLayer('services').length > 5 && inLayer('store').length > 3);
    assert.ok(graph.get('routes/user-groups.ts')?.includes('services/user-groups'));
    assert.ok(graph.get('store/db.ts')?.includes('better-sqlite3'));
    assert.ok(graph.get('app.ts')?.includes('hono'));
    // ...and the walk follows them: a route reaches Hono, and the store's pieces through a service.
    assert.deepEqual(chainTo('routes/otp.ts', isHono)?.slice(-1), ['hono']);
    assert.ok((chainTo('routes/otp.ts', (spec) => spec === 'store/sql')?.length ?? 0) > 2);
  });

  it('keeps routes thin: no store, no SQL driver, no other route', () => {
    assert.deepEqual(
      violations('routes', (spec, file) => spec.startsWith('store/') || spec === 'better-sqlite3' || (spec.startsWith('routes/') && `${spec}.ts` !== file)),
      [],
    );
  });

  it('keeps SQL in store/: nothing else imports the driver or runs a statement', () => {
    // Routes, services, HTTP plumbing and the app reach the database only through store modules,
    // so one store module per kind of data is where every statement (and its dialect) lives.
    const outside = [...graph].map(([file]) => file).filter((file) => !file.startsWith('store/'));
    const importingDriver = outside.filter((file) => graph.get(file)!.includes('better-sqlite3'));
    assert.deepEqual(importingDriver, []);
    // Transactions (sql.tx, q.lock) may be opened above the store; statements may not.
    const statement = /\.prepare\(|\.exec\(\s*[`'"]|\.pragma\(|\.(get|all|run)(<[^>]*>)?\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|PRAGMA)\b/i;
    const runningSql = outside.filter((file) => statement.test(readFileSync(join(SERVER, file), 'utf8')));
    assert.deepEqual(runningSql, []);
  });

  it('keeps Hono and routes out of services', () => {
    assert.deepEqual(violations('services', (spec) => isHono(spec) || spec.startsWith('routes/') || spec.startsWith('http/')), []);
  });

  it('keeps Hono out of services, store and shared helpers, also through the modules they import', () => {
    // A type import counts: a service that sees Hono's types through context.ts is still bound to
    // Hono, and could not be reused or tested without it. Services may reach each other, the store,
    // shared/ and plain top-level modules, never http/ or routes/ by a detour.
    const upward = (spec: string) => isHono(spec) || spec.startsWith('routes/') || spec.startsWith('http/');
    assert.deepEqual(reachViolations('services', upward), []);
    assert.deepEqual(reachViolations('store', (spec) => upward(spec) || spec.startsWith('services/')), []);
    assert.deepEqual(reachViolations('shared', upward), []);
  });

  it('gives each service only the part of ServiceInternals it declares', () => {
    // A service names what it reads (a Pick of ServiceInternals, e.g. CodesContext), so a test or tool
    // can call it with just those pieces and a reader sees its reach from its signature.
    const whole = /[(,]\s*\w+\??\s*:\s*ServiceInternals\s*[,)=]|\btype\s+\w+\s*=\s*ServiceInternals\s*;|readonly\s+#?\w+\s*:\s*ServiceInternals\b/;
    const takingAll = inLayer('services').map(([file]) => file).filter((file) => whole.test(readFileSync(join(SERVER, file), 'utf8')));
    assert.deepEqual(takingAll, []);
  });

  it('keeps the store below everything: no service, route or HTTP import', () => {
    assert.deepEqual(violations('store', (spec) => isHono(spec) || spec.startsWith('services/') || spec.startsWith('routes/') || spec.startsWith('http/')), []);
  });
});
