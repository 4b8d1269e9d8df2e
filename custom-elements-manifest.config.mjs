// Manifest analyzer settings. Events are documented with @fires on each element; the analyzer also
// guesses events from `dispatchEvent(new X(detail))` calls and names them after the argument, so
// only the documented `latch-*` events are kept.
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/**/*.schema.ts'],
  litelement: true,
  plugins: [
    {
      name: 'latch-documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('latch-'));
          }
        }
      },
    },
  ],
};
