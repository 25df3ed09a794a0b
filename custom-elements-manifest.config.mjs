/**
 * Our events are classes (`this.dispatchEvent(new CallPanelToggleEvent(…))`) documented with
 * `@fires`; the analyzer also lists each such dispatch, without a name. Drop those duplicates.
 */
function dropUnnamedEvents() {
  return {
    name: 'drop-unnamed-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
    },
  };
}

/** `npm run analyze` writes ./custom-elements.json from the elements' JSDoc and decorators. */
export default {
  globs: ['src/**/*.ts'],
  exclude: [
    'src/**/*.styles.ts',
    'src/core/**',
    'src/i18n/**',
    'src/controllers/**',
    'src/internal/**',
    'src/styles/**',
  ],
  outdir: '.',
  litelement: true,
  plugins: [dropUnnamedEvents()],
};
