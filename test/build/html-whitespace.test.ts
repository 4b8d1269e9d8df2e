/**
 * The build step that collapses indentation inside `html` templates: the page must read the same,
 * so only whitespace inside html templates' static text may change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseChecked, collapseHtmlWhitespace } from '../../scripts/html-whitespace.js';

test('collapses line breaks and indentation in html templates to one space', () => {
  const source = 'const a = html`<p>\n      ${x}\n    </p>\n    <b>one</b>`;';
  assert.equal(collapseHtmlWhitespace(source), 'const a = html`<p> ${x} </p> <b>one</b>`;');
});

test('collapses templates nested in expressions, and leaves the expressions as written', () => {
  const source = 'html`<ul>\n  ${items.map((i) => html`<li>\n    ${i}\n  </li>`)}\n</ul>`;\nconst b = 1;\n';
  assert.equal(collapseHtmlWhitespace(source), 'html`<ul> ${items.map((i) => html`<li> ${i} </li>`)} </ul>`;\nconst b = 1;\n');
});

test('leaves other template literals, strings, comments and code alone', () => {
  const source = [
    'const css = `a {\n  color: red;\n}`;',
    "const s = 'html`\\n  '; // html` in a comment",
    '/* html`\n  */ const c = { d: `${1}\n  ${2}` };',
    'const e = html`<i>${"}`"}\n  </i>`;',
  ].join('\n');
  assert.equal(
    collapseHtmlWhitespace(source),
    [
      'const css = `a {\n  color: red;\n}`;',
      "const s = 'html`\\n  '; // html` in a comment",
      '/* html`\n  */ const c = { d: `${1}\n  ${2}` };',
      'const e = html`<i>${"}`"} </i>`;',
    ].join('\n'),
  );
});

test('refuses a collapse that would change the code, such as a regex literal that hides a backtick', async () => {
  const { parseSync } = await import('vite');
  const parse = (file: string, code: string) => parseSync(file, code, { lang: 'ts' });
  const fine = 'const a = html`<p>\n  ${x}\n</p>`;\n// a comment\nfoo();\n';
  assert.equal(collapseChecked(fine, 'fine.ts', parse), 'const a = html`<p> ${x} </p>`;\n// a comment\nfoo();\n');
  // The scanner takes the backtick in /`/ for the end of the template: the comment would then swallow the call after it.
  const tricky = 'function label(v) {\n  return html`<p>${v.replace(/`/g, "")}</p>`;\n}\n// Registered once at load.\ncustomElements.define("x-y", XY);\n';
  assert.throws(() => collapseChecked(tricky, 'tricky.ts', parse), /without changing the code|does not parse/);
});
