// Keeps the conformance table in src/server/README.md honest: every operation the seed lists has a
// row, every implemented or extension row names at least one test, and every test it names exists
// in the file it names (a renamed or deleted test breaks this, not just the table's truth).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { seedPath } from './seed-schema';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(resolve(here, '../../src/server/README.md'), 'utf8');

interface Row {
  operation: string;
  path: string;
  status: string;
  tests: { file: string; name: string }[];
}

function conformanceRows(): { platform: Row[]; storefront: Row[] } {
  const start = readme.indexOf('## Conformance table');
  assert.ok(start >= 0, 'the README has a conformance table');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const platformAt = section.indexOf('### Platform');
  const storefrontAt = section.indexOf('### Storefront');
  assert.ok(platformAt >= 0 && storefrontAt > platformAt, 'platform and storefront tables');
  const rows = (text: string): Row[] =>
    text
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| operation') && !line.startsWith('| ---'))
      .map((line) => {
        const cells = line.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, '').trim());
        const tests = [...(cells[3] ?? '').matchAll(/`([\w.-]+\.test\.ts) › ([^`]+)`/g)].map((m) => ({ file: m[1]!, name: m[2]! }));
        return { operation: cells[0]!, path: cells[1]!, status: cells[2]!, tests };
      });
  return { platform: rows(section.slice(platformAt, storefrontAt)), storefront: rows(section.slice(storefrontAt)) };
}

/** The test names of a file: literal names as written, template names as patterns (`${x}` matches anything). */
function testNames(file: string): { literal: Set<string>; patterns: RegExp[] } {
  const source = readFileSync(resolve(here, file), 'utf8');
  const literal = new Set<string>();
  const patterns: RegExp[] = [];
  for (const m of source.matchAll(/\btest\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*,/g)) literal.add(m[2]!.replace(/\\(['"\\])/g, '$1'));
  for (const m of source.matchAll(/\btest\(\s*`([^`]*)`\s*,/g)) {
    const pattern = m[1]!
      .split(/\$\{[^}]*\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    patterns.push(new RegExp(`^${pattern}$`));
  }
  return { literal, patterns };
}

describe('the conformance table in src/server/README.md', () => {
  const { platform, storefront } = conformanceRows();

  test("every one of the seed's 28 operations has an implemented row", () => {
    const seed = readFileSync(seedPath(), 'utf8');
    const list = seed.slice(seed.indexOf('## User Methods'), seed.indexOf('## Methods with example'));
    const operations = [...list.matchAll(/^\* \[(\w+)\]/gm)].map((m) => m[1]!);
    assert.equal(operations.length, 28);
    for (const op of operations) {
      const row = platform.find((r) => r.operation === op);
      assert.ok(row, `${op} has a row`);
      assert.equal(row.status, 'implemented', op);
    }
  });

  test('every implemented or extension row names a test, and every not-offered row says why', () => {
    for (const row of [...platform, ...storefront]) {
      if (row.status.startsWith('not offered')) {
        assert.match(row.status, /^not offered( yet)?: \S.{10,}/, `${row.operation}: a reason`);
        assert.equal(row.tests.length, 0, `${row.operation}: not offered, yet tests named`);
      } else {
        assert.match(row.status, /^(implemented|extension)\b/, `${row.operation}: status`);
        assert.ok(row.tests.length > 0, `${row.operation}: names a test`);
      }
      assert.ok(row.path.includes('`'), `${row.operation}: a path`);
    }
  });

  test('every test the table names exists under that name in that file', () => {
    const cache = new Map<string, ReturnType<typeof testNames>>();
    const missing: string[] = [];
    for (const row of [...platform, ...storefront]) {
      for (const { file, name } of row.tests) {
        if (!cache.has(file)) cache.set(file, testNames(file));
        const names = cache.get(file)!;
        if (!names.literal.has(name) && !names.patterns.some((p) => p.test(name))) missing.push(`${row.operation}: ${file} › ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('the storefront operations issue 13 (item 3) added are listed as implemented, with tests', () => {
    const implemented = storefront.filter((r) => r.status.startsWith('implemented') && r.tests.length > 0).map((r) => r.path);
    for (const path of [
      '/authentication/v1.0/user-exists',
      '/authentication/v1.0/login/token',
      '/authentication/v1.0/verify/email',
      '/authentication/v1.0/verify/mobile',
      'PUT `/profile/v1.0/email`',
      'PUT `/profile/v1.0/mobile`',
      '/profile/v1.0/email/link/send',
      '/profile/v1.0/mobile/link/send',
      '/authentication/v1.0/login/password/mobile/reset',
    ]) {
      assert.ok(implemented.some((p) => p.includes(path)), `${path} is listed as implemented, with a test`);
    }
  });
});
