/**
 * The content-hash cache's format and rules, without any I/O. An entry is reused only when both the
 * file's hash and the toolchain fingerprint (which plugins apply, their tool versions and config
 * files) are unchanged, so installing or upgrading a tool re-checks.
 */
import { type FileResult } from "./types";
import { isRecord } from "./parsers/common";

export const CACHE_VERSION = 1;

export interface CacheEntry {
  hash: string;
  toolchain: string;
  checked_at: string;
  result: Pick<FileResult, "status" | "errors" | "warnings" | "issues" | "ran" | "skipped">;
}

export interface CheckCache {
  version: number;
  entries: Record<string, CacheEntry>;
}

export function emptyCache(): CheckCache {
  return { version: CACHE_VERSION, entries: {} };
}

/** Reads a cache file's text; anything unreadable, of another version or malformed counts as empty. */
export function parseCache(text: string | undefined): CheckCache {
  if (text === undefined) return emptyCache();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return emptyCache();
  }
  if (!isRecord(data) || data.version !== CACHE_VERSION || !isRecord(data.entries)) return emptyCache();
  const entries: Record<string, CacheEntry> = {};
  for (const [key, entry] of Object.entries(data.entries)) {
    if (isValidEntry(entry)) entries[key] = entry;
  }
  return { version: CACHE_VERSION, entries };
}

function isValidEntry(entry: unknown): entry is CacheEntry {
  return (
    isRecord(entry) &&
    typeof entry.hash === "string" &&
    typeof entry.toolchain === "string" &&
    isRecord(entry.result) &&
    Array.isArray(entry.result.issues) &&
    Array.isArray(entry.result.ran) &&
    Array.isArray(entry.result.skipped)
  );
}

/** The cached result for a file when its hash and toolchain match; otherwise undefined. */
export function cachedResult(
  cache: CheckCache,
  key: string,
  hash: string,
  toolchain: string,
): CacheEntry["result"] | undefined {
  const entry = cache.entries[key];
  return entry && entry.hash === hash && entry.toolchain === toolchain ? entry.result : undefined;
}

/** The text to hash into a toolchain fingerprint: each applicable plugin with its tool state. */
export function toolchainDescription(
  plugins: readonly { id: string; state: string; configHashes: readonly string[] }[],
): string {
  return JSON.stringify(plugins.map((plugin) => [plugin.id, plugin.state, plugin.configHashes]));
}

export function cacheEntry(
  hash: string,
  toolchain: string,
  checkedAt: string,
  result: FileResult,
): CacheEntry {
  const { status, errors, warnings, issues, ran, skipped } = result;
  return {
    hash,
    toolchain,
    checked_at: checkedAt,
    result: { status, errors, warnings, issues: issues, ran, skipped },
  };
}
