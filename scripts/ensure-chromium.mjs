// Makes sure a Chromium for the browser tests is on this machine. Test tools cannot download their
// own browsers here, so the tests use Debian's package: installed when missing and we are root with
// apt-get; otherwise this says exactly what to install and stops.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROME_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const install = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation';
const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt || process.env.CHROME_PATH) {
  console.error(`Chromium was not found at ${path}.`);
  console.error(hasApt ? `Install it with:\n  sudo sh -c '${install}'` : 'Install Chromium and set CHROME_PATH to its executable.');
  process.exit(1);
}
console.log('Chromium is missing; installing Debian\'s chromium package (about a minute)…');
execFileSync('sh', ['-c', install], { stdio: 'inherit' });
if (!existsSync(path)) {
  console.error(`The install finished but ${path} is still missing.`);
  process.exit(1);
}
