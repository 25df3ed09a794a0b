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

/**
 * The analyzer lists modules in the order the file system hands out the files, which differs from
 * one checkout to another; sorted by path, the manifest is the same wherever it is generated.
 */
function sortModules() {
  return {
    name: 'sort-modules',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
  plugins: [dropUnnamedEvents(), sortModules()],
};
