// Manifest analyzer settings. The manifest lists the public surface only: the elements declare
// reactive properties in `static properties`; entries marked `state: true` are internal state, not
// attributes, so they are dropped here, as are private (`#x`), protected, static and `@internal`
// members (what subclasses and LitElement's lifecycle use is not part of the tags' API). Events
// are documented with @fires on each element; the analyzer also guesses events from
// `dispatchEvent(new X(detail))` calls and names them after the argument, so only the documented
// `latch-*` events are kept.
const isPublic = (member) => !member.static && !member.name.startsWith('#') && (member.privacy ?? 'public') === 'public';

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.schema.ts'],
  litelement: true,
  plugins: [
    {
      name: 'latch-public-surface',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node) || !node.name) return;
        const declaration = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
        if (!declaration) return;
        const states = new Set();
        for (const member of node.members) {
          if (member.name && ts.getJSDocTags(member).some((tag) => tag.tagName.getText() === 'internal')) states.add(member.name.getText());
          const isProperties = ts.isPropertyDeclaration(member) && member.name.getText() === 'properties';
          if (!isProperties || !member.initializer || !ts.isObjectLiteralExpression(member.initializer)) continue;
          for (const entry of member.initializer.properties) {
            if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.initializer)) continue;
            const isState = entry.initializer.properties.some(
              (p) => ts.isPropertyAssignment(p) && p.name.getText() === 'state' && p.initializer.kind === ts.SyntaxKind.TrueKeyword,
            );
            if (isState) states.add(entry.name.getText());
          }
        }
        if (!states.size) return;
        declaration.attributes = declaration.attributes?.filter((a) => !states.has(a.fieldName ?? a.name));
        declaration.members = declaration.members?.filter((m) => !states.has(m.name));
      },
      packageLinkPhase({ customElementsManifest }) {
        // Only the tags are public: internal classes (sections, steps, controllers, base classes)
        // are implementation, so their modules leave the manifest.
        customElementsManifest.modules = customElementsManifest.modules.filter((mod) =>
          (mod.declarations ?? []).some((d) => d.customElement && d.tagName),
        );
        for (const mod of customElementsManifest.modules) {
          mod.declarations = (mod.declarations ?? []).filter((d) => d.customElement && d.tagName);
          mod.exports = (mod.exports ?? []).filter((e) => mod.declarations.some((d) => d.name === e.declaration?.name) || e.kind === 'custom-element-definition');
          for (const declaration of mod.declarations) {
            if (declaration.members) declaration.members = declaration.members.filter(isPublic);
            if (declaration.events) declaration.events = declaration.events.filter((e) => e.name?.startsWith('latch-'));
          }
        }
      },
    },
  ],
};
