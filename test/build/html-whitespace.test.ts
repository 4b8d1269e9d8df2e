/**
 * The build step that collapses indentation inside `html` templates: the page must read the same,
 * so only whitespace inside html templates' static text may change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseHtmlWhitespace } from '../../scripts/html-whitespace.js';

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
