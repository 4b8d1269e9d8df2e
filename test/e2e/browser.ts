/**
 * Launches Debian's Chromium for the end-to-end tests that need a whole page of their own
 * (response headers such as CSP, or the demo server as a newcomer starts it).
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../support/chromium.mjs';

export function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}
