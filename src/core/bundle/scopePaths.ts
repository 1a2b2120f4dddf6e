/** Rule 6 (scope safety) and the path normalisation every scope entry goes through. */

const [slash, backslash, tilde, dot, colon] = [0x2f, 0x5c, 0x7e, 0x2e, 0x3a]; // "/", "\\", "~", ".", ":"

/** What the quick test says of an entry (see attentionOf). */
const enum Attention {
  /** Safe and already normal. */
  None,
  /** Safe, and normal once its one trailing slash goes: `src/`, the usual way to write a directory. */
  TrailingSlash,
  /** Anything else: the exact rules decide. */
  Full,
}

/**
 * Could the entry be unsafe or not normalised? Errs towards Full: that only sends it through the
 * exact checks. Most entries are told apart by one look at each character, with no regular expression.
 */
function attentionOf(entry: string): Attention {
  const first = entry.charCodeAt(0);
  if (
    first === slash ||
    first === tilde ||
    first === dot ||
    first === backslash ||
    entry.charCodeAt(1) === colon
  )
    return Attention.Full;
  let previous = first;
  for (let index = 1; index < entry.length; index++) {
    const code = entry.charCodeAt(index);
    // A backslash, "//" or "/." anywhere (a "..", "./" or doubled slash inside).
    if (code === backslash || (previous === slash && (code === slash || code === dot))) return Attention.Full;
    previous = code;
  }
  return previous === slash ? Attention.TrailingSlash : Attention.None;
}

const parentStep = /(?:^|\/)\.\.(?:\/|$)/;

/** Why an entry may not be used, or undefined when it is safe. */
export function unsafeScopeReason(entry: string): string | undefined {
  if (attentionOf(entry) !== Attention.Full) return undefined;
  const slashed = toSlashes(entry);
  if (slashed.startsWith("/")) return "is an absolute path; use a path relative to the repository root";
  if (/^[A-Za-z]:/.test(slashed))
    return "is an absolute Windows path; use a path relative to the repository root";
  if (slashed.startsWith("~"))
    return "starts with ~ (a home directory); use a path relative to the repository root";
  if (parentStep.test(slashed)) return 'contains ".." and could escape the repository';
  return undefined;
}

/**
 * The original's normalisation: backslashes become slashes, `./` prefixes, doubled slashes and
 * trailing slashes go. A trailing slash only marked a directory, and a literal entry already matches
 * a directory's contents, so nothing is lost.
 */
export function normaliseScopeEntry(entry: string): string {
  const attention = attentionOf(entry);
  if (attention === Attention.None) return entry;
  if (attention === Attention.TrailingSlash) return entry.slice(0, -1);
  let path = toSlashes(entry);
  if (path.includes("//")) path = path.replace(/\/{2,}/g, "/");
  while (path.startsWith("./")) path = path.slice(2);
  while (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path;
}

/** Backslashes as slashes; the entry itself when it has none (most do not: no copy, no regex). */
function toSlashes(entry: string): string {
  return entry.includes("\\") ? entry.replace(/\\/g, "/") : entry;
}
