/** `npm run analyze` writes ./custom-elements.json from the elements' JSDoc and decorators. */
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.styles.ts', 'src/core/**', 'src/i18n/**', 'src/controllers/**'],
  outdir: '.',
  litelement: true,
};
