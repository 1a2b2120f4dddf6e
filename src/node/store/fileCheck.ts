/**
 * Cheap checks of a store file before sql.js sees it, so a truncated or foreign file gets a clear
 * error naming it instead of "database disk image is malformed" later.
 */
import { UserError } from "../../core/errors";

const MAGIC = "SQLite format 3\u0000";
const HEADER_BYTES = 100;

/** Throws a `UserError` naming `file` unless `bytes` look like a whole SQLite database. */
export function assertSqliteImage(file: string, bytes: Uint8Array): void {
  if (bytes.length < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 16)) !== MAGIC) {
    throw new UserError(
      `${file} is not a SQLite database (${bytes.length} bytes, no SQLite header); it was left unchanged.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const changeCounter = view.getUint32(24);
  const pageCount = view.getUint32(28);
  const versionValidFor = view.getUint32(92);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw new UserError(
      `${file} has a corrupt SQLite header (page size ${pageSize}); it was left unchanged.`,
    );
  }
  // The page count in the header is only trustworthy when written by a SQLite that maintains it.
  if (versionValidFor === changeCounter && pageCount > 0) {
    const expected = pageSize * pageCount;
    if (bytes.length < expected) {
      throw new UserError(
        `${file} is truncated (${bytes.length} of ${expected} bytes); it was left unchanged. ` +
          `Restore it from a backup or move it away to start a new store.`,
      );
    }
  } else if (bytes.length % pageSize !== 0) {
    throw new UserError(`${file} is truncated (${bytes.length} bytes); it was left unchanged.`);
  }
}
