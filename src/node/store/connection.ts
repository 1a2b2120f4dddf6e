import { type Database } from "sql.js";

/**
 * The in-memory database needs no rollback file or syncs of its own (our journal is the durable
 * record), and sql.js would otherwise create and delete a journal file in its memory FS on every commit.
 */
export function configureConnection(db: Database): void {
  db.run("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA journal_mode = MEMORY");
  db.run("PRAGMA synchronous = OFF");
  db.run("PRAGMA locking_mode = EXCLUSIVE");
  db.run("PRAGMA temp_store = MEMORY");
}
