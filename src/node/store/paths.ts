/** The files a store keeps beside itself. Where the store itself lives is src/node/paths.ts's to say. */

/** The companion files of a store: its journal and its lock. */
export function companionPaths(dbPath: string): { journal: string; lock: string } {
  return { journal: `${dbPath}.journal.ndjson`, lock: `${dbPath}.lock` };
}
