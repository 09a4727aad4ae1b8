/** node-postgres's value serialiser (the package's `lib/utils.js`, which its exports map publishes). */
declare module 'pg/lib/utils.js' {
  const utils: {
    /** A JavaScript value as node-postgres sends it: an array becomes a PostgreSQL array literal. */
    prepareValue(value: unknown): unknown;
  };
  export default utils;
}
