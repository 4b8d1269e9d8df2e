/**
 * Launches Debian's Chromium for the end-to-end tests that need a whole page of their own
 * (response headers such as CSP, or the demo server as a newcomer starts it).
 */
import puppeteer, { type Browser } from 'puppeteer-core';

export function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
