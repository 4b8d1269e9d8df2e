/**
 * Vite: `npm start` serves the demo storefront (demo/) with the reference user service mounted in
 * the same dev server (same origin, so the session cookie is first-party, as on a real store).
 * `vite build` writes the npm package build (lit and zod external); `vite build --mode cdn` writes
 * the script-tag bundles `npm run size` measures: the whole package in one file (dist/cdn), or with
 * LATCH_ENTRY=auth the sign-in-only bundle and its on-demand steps chunk (dist/cdn-auth).
 */
import { defineConfig, parseSync, type Plugin } from 'vite';
import { getRequestListener } from '@hono/node-server';
import { collapseChecked } from './scripts/html-whitespace.js';

/**
 * Collapses the stylesheets' whitespace and comments in production builds (Vite leaves
 * template-literal CSS as written): the shared one and each element's `*.styles.ts`, whose
 * `...Styles = \`...\`` literals have no interpolations.
 */
function minifyLatchCss(): Plugin {
  return {
    name: 'latch-minify-css',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('/src/ui/styles.ts') && !id.endsWith('.styles.ts')) return null;
      return code.replace(/(Styles = `)([^`]*)(`)/g, (_all, open: string, text: string, close: string) => {
        const min = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/ ?([{};,>]) ?/g, '$1')
          .replace(/: /g, ':')
          .replace(/;}/g, '}')
          .trim();
        return open + min + close;
      });
    },
  };
}

/**
 * The one-file package: `<latch-auth>`'s on-demand steps are in the same file, so they are imported
 * statically (load-steps.bundled.ts) rather than through `import()`, which would wrap every module
 * they reach in lazy-initialisation code (1.2 kB brotli for nothing).
 */
function bundledSteps(): Plugin {
  return {
    name: 'latch-bundled-steps',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (source !== './load-steps.js' || !importer?.endsWith('/latch-auth/latch-auth.ts')) return null;
      return this.resolve('./load-steps.bundled.js', importer);
    },
  };
}

/**
 * The sign-in-only bundle: with module preloading off, Vite's preload helper around `import()` has
 * nothing to preload, so it becomes a plain call (0.6 kB brotli less in the first download). A chunk
 * that fails to load is still reported: `<latch-auth>` shows its own "could not load" message.
 */
function plainDynamicImport(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'latch-plain-dynamic-import',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === helper || id === 'vite/preload-helper.js' ? helper : null),
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : null),
  };
}

/** Collapses the indentation inside `html` templates in production builds (see scripts/html-whitespace.ts). */
function collapseTemplates(): Plugin {
  return {
    name: 'latch-collapse-templates',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/(elements|ui)\/.*\.ts$/.test(id) || !code.includes('html`')) return null;
      return collapseChecked(code, id, (file, source) => parseSync(file, source, { lang: 'ts' }));
    },
  };
}

/**
 * Internal member names the one-file bundle shortens: the element classes' protected members, what
 * `<latch-auth>` shares with its on-demand steps, and any property of our own objects that happens
 * to share one of these names (the view model's `heading`, say). Rolldown renames every property
 * with a listed name throughout the file, so a name belongs here only if no DOM API, lit-html, zod,
 * wire field, message parameter or attribute uses it, and it must never be read by a quoted or
 * computed key. The whole-page tests run this bundle through every element.
 */
const INTERNAL_MEMBERS = new RegExp(
  `^(${[
    'focusAfterRender', 'fieldErrors', 'formError', 'retryUntil', 'renderMessages', 'passwordField', 'secondsUntil',
    'reportError', 'fireError', 'handleFailure', 'captchaField', 'loadCaptcha', 'keepTicking', 'captchaRequired',
    'captchaName', 'hasCaptcha', 'fieldValue', 'ownStyles', 'announceLogin', 'channelSwitch', 'emailField',
    'skipContact', 'pendingContacts', 'registerToken', 'resetCode', 'signInStep', 'store', 'pending', 'notice',
    'heading', 'remember', 'finish', 'link', 'channel', 'fid', 'tick', 'fail', 'uid',
  ].join('|')})$`,
);

/** The folder of `<latch-auth>`'s steps: one on-demand chunk, whatever files it holds. */
const STEPS_FOLDER = '/src/elements/latch-auth/steps/';

/**
 * The sign-in-only bundle's chunks: a module goes with the on-demand steps when it is in the steps
 * folder, or when only on-demand modules import it (a step's API calls, its words, the code form),
 * unless the first screen imports it too. Decided by folder and by the import graph, never by a
 * list of file names, so a new step cannot land in the first download by accident.
 */
function stepsChunk(id: string, meta: { getModuleInfo: (id: string) => { importers: readonly string[]; dynamicImporters: readonly string[]; isEntry: boolean } | null }): string {
  const onDemand = new Map<string, boolean>();
  const visit = (module: string): boolean => {
    const known = onDemand.get(module);
    if (known !== undefined) return known;
    onDemand.set(module, false); // a cycle back to here decides nothing
    const info = meta.getModuleInfo(module);
    let result: boolean;
    if (!info || info.isEntry) result = false;
    else if (module.includes(STEPS_FOLDER)) result = !info.importers.some((importer) => !importer.includes(STEPS_FOLDER));
    else result = info.importers.length > 0 && info.importers.every(visit);
    onDemand.set(module, result);
    return result;
  };
  return visit(id) ? 'steps' : 'latch';
}

const isServicePath = (url = '') => url.startsWith('/service/') || url.startsWith('/__dev/');

function referenceService(): Plugin {
  return {
    name: 'latch-reference-service',
    apply: 'serve',
    async configureServer(server) {
      // Loaded through tsx at serve time, not bundled into the config: the service is plain Node code.
      const { tsImport } = await import('tsx/esm/api');
      const { optionsFromEnv } = await tsImport('./src/server/env.ts', import.meta.url);
      const { createService } = await tsImport('./src/server/app.ts', import.meta.url);
      const { options, printed } = optionsFromEnv();
      const service = createService(options);
      await service.ready;
      const listener = getRequestListener(service.app.fetch, { overrideGlobalObjects: false });
      // No path argument: connect would strip it and the service would see the wrong path.
      server.middlewares.use((req, res, next) => (isServicePath(req.url) ? listener(req, res) : next()));
      server.httpServer?.once('close', () => service.close());
      for (const line of printed) server.config.logger.info(line);
    },
  };
}

export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      plugins: [referenceService()],
      server: { port: Number(process.env.PORT) || 5173, host: 'localhost' },
      preview: { port: Number(process.env.PORT) || 5173 },
    };
  }
  if (mode === 'cdn') {
    // An app build, not a lib build: lib mode keeps whitespace in ES output for downstream bundlers,
    // but this file is what the browser downloads.
    return {
      plugins: [process.env.LATCH_ENTRY === 'auth' ? plainDynamicImport() : bundledSteps(), minifyLatchCss(), collapseTemplates()],
      build: {
        outDir: process.env.LATCH_ENTRY === 'auth' ? 'dist/cdn-auth' : 'dist/cdn',
        emptyOutDir: true,
        target: 'es2022',
        modulePreload: false,
        copyPublicDir: false,
        rolldownOptions: {
          // LATCH_ENTRY=auth builds the sign-in widget alone (what `npm run size` measures for <latch-auth>).
          input: process.env.LATCH_ENTRY === 'auth' ? 'src/cdn-auth.ts' : 'src/cdn.ts',
          // The entry may also export what the steps chunk imports from it, so no facade file is needed.
          preserveEntrySignatures: 'allow-extension',
          output: {
            // The one-file package also shortens the elements' protected members, like private ones:
            // script-tag pages use the tags, attributes, events and exports; subclassing goes through
            // the npm package. (Rolldown shortens properties only in a one-chunk build.)
            ...(process.env.LATCH_ENTRY === 'auth'
              ? {}
              : { minify: { compress: true, mangle: true, mangleProps: { include: INTERNAL_MEMBERS } } }),
            format: 'es',
            entryFileNames: 'latch.js',
            chunkFileNames: 'latch-[name]-[hash].js',
            // Sign-in only: everything but the on-demand steps stays in the one entry file (a shared
            // chunk would cost an extra request and compress worse). The whole package is one file:
            // an account page uses the steps' calls at once, so a split would only add requests.
            ...(process.env.LATCH_ENTRY === 'auth'
              ? { manualChunks: stepsChunk }
              : { codeSplitting: false }),
          },
        },
      },
    };
  }
  return {
    plugins: [minifyLatchCss(), collapseTemplates()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: { entry: { index: 'src/index.ts', define: 'src/define.ts', 'define-auth': 'src/define-auth.ts', dev: 'src/dev.ts' }, formats: ['es'] },
      rolldownOptions: { external: [/^lit(\/|$)/, /^@lit\//, /^zod(\/|$)/] },
    },
  };
});
