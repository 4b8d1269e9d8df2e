/**
 * Build step: collapses the line breaks and indentation inside lit-html `html\`...\`` templates to a
 * single space. In HTML a run of whitespace renders as one space (latch templates have no <pre> and
 * no textarea content), so the page looks and reads the same with fewer bytes to download.
 * Only the templates' static text changes; `${...}` expressions are walked and left as written,
 * with templates nested inside them collapsed too.
 */

/** Returns `source` with every html template's static text collapsed. */
export function collapseHtmlWhitespace(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;

  /** Copies a quoted string or a comment starting at `i` verbatim. */
  const copyQuoted = (quote: string): void => {
    const start = i++;
    while (i < n && source[i] !== quote) i += source[i] === '\\' ? 2 : 1;
    i++;
    out += source.slice(start, i);
  };

  /** Copies code up to (not including) the `}` that closes the current `${`, or to the end. */
  const code = (inExpression: boolean): void => {
    let depth = 0;
    while (i < n) {
      const c = source[i];
      if (c === '"' || c === "'") copyQuoted(c);
      else if (c === '/' && source[i + 1] === '/') {
        const end = source.indexOf('\n', i);
        const stop = end === -1 ? n : end;
        out += source.slice(i, stop);
        i = stop;
      } else if (c === '/' && source[i + 1] === '*') {
        const end = source.indexOf('*/', i + 2) + 2;
        out += source.slice(i, end);
        i = end;
      } else if (c === '`') {
        template(/\bhtml\s*$/.test(source.slice(Math.max(0, i - 8), i)));
      } else if (c === '{') {
        depth++;
        out += c;
        i++;
      } else if (c === '}') {
        if (inExpression && depth === 0) return;
        depth--;
        out += c;
        i++;
      } else {
        out += c;
        i++;
      }
    }
  };

  /** Copies a template literal starting at its opening backtick, collapsing its text when `isHtml`. */
  const template = (isHtml: boolean): void => {
    out += '`';
    i++;
    let text = '';
    const flush = (): void => {
      out += isHtml ? text.replace(/[ \t]*\n\s*/g, ' ') : text;
      text = '';
    };
    while (i < n) {
      const c = source[i];
      if (c === '\\') {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        flush();
        out += '`';
        i++;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        flush();
        out += '${';
        i += 2;
        code(true);
        out += '}';
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
  };

  code(false);
  return out;
}

/**
 * `collapseHtmlWhitespace`, checked: the collapsed source must parse to the same program as the
 * original except for the text of templates. A scanner that lost its place (a regex literal holding
 * a backtick, say) could join a line comment to the code after it; that changes the program, and
 * this throws instead of shipping it. `parse` is an ESTree parser (rolldown's, through Vite).
 */
export function collapseChecked(source: string, file: string, parse: (file: string, code: string) => { program: unknown; errors: unknown[] }): string {
  const collapsed = collapseHtmlWhitespace(source);
  const shape = (code: string): string => {
    const result = parse(file, code);
    if (result.errors.length) throw new Error(`${file}: could not collapse its html templates (the result does not parse)`);
    // Positions move with every collapsed space, and template text is what is meant to change.
    return JSON.stringify(result.program, function (this: { type?: string }, key: string, value: unknown) {
      if (key === 'start' || key === 'end') return undefined;
      return key === 'value' && this.type === 'TemplateElement' ? undefined : value;
    });
  };
  if (shape(collapsed) !== shape(source)) throw new Error(`${file}: could not collapse its html templates without changing the code`);
  return collapsed;
}
