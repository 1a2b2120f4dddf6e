/**
 * Loading a big CommonJS bundle with V8's code cache, for Nodes without `module.enableCompileCache`
 * (before 22.1). V8 otherwise parses the whole 1.6 MB CLI and compiles each function it calls on
 * every start; with the cache it deserializes what the last run compiled.
 *
 * The cache file is named by a hash of the bundle's text and of the Node that made it: V8's own
 * check looks only at the source's length and its version, so the name is what keeps a rebuilt
 * bundle from running stale code. A cache that cannot be read, is rejected or cannot be written only
 * makes the start slower; it never stops the command.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { writeFileAtomic } from "./files/atomicFile";

/** What Node's module system has but its type definitions leave out. */
interface ModuleInternals {
  wrap(source: string): string;
  _nodeModulePaths(directory: string): string[];
}

type CommonJsWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;

function cacheFileFor(source: string, cacheDir: string): string {
  const key = createHash("sha256")
    .update(`${process.version} ${process.arch} ${process.execArgv.join(" ")}\n`)
    .update(source)
    .digest("hex")
    .slice(0, 32);
  return path.join(cacheDir, `${key}.v8cache`);
}

/**
 * Other builds' caches are kept while they may still be run: at most the newest few (a global and a
 * project's own wsp side by side) and none unused for a month. Without this the folder would grow
 * by half a megabyte with every build.
 */
const KEEP_OTHERS = 8;
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

function removeStaleCaches(cacheDir: string, keep: string): void {
  const now = Date.now();
  const others = readdirSync(cacheDir)
    .filter((name) => name.endsWith(".v8cache"))
    .map((name) => path.join(cacheDir, name))
    .filter((file) => file !== keep)
    .map((file) => ({ file, modified: statSync(file, { throwIfNoEntry: false })?.mtimeMs }))
    .filter((entry): entry is { file: string; modified: number } => entry.modified !== undefined)
    .sort((a, b) => b.modified - a.modified);
  others.forEach(({ file, modified }, newest) => {
    if (newest >= KEEP_OTHERS || now - modified > STALE_MS) rmSync(file, { force: true });
  });
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Runs `file` as the CommonJS module it is, its compiled code taken from and kept in `cacheDir`.
 * The cache is written once the process is about to exit, so it holds every function the command
 * compiled, not only the top level.
 */
export function requireWithCodeCache(file: string, cacheDir: string): unknown {
  const source = readFileSync(file, "utf8");
  const cacheFile = cacheFileFor(source, cacheDir);
  const cachedData = readCache(cacheFile);
  const internals = Module as unknown as ModuleInternals;
  const script = new vm.Script(internals.wrap(source), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true)
    process.once("exit", () => {
      try {
        writeFileAtomic(cacheFile, script.createCachedData(), { durable: false });
        removeStaleCaches(cacheDir, cacheFile);
      } catch {
        // A read-only or full disk: the next start compiles again.
      }
    });
  const dirname = path.dirname(file);
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = internals._nodeModulePaths(dirname);
  const wrapper = script.runInThisContext() as CommonJsWrapper;
  wrapper.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, dirname);
  loaded.loaded = true;
  return loaded.exports;
}
