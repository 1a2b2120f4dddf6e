/**
 * What `dist/cli.js` runs: a few lines that answer `wsp --version` on their own and otherwise turn
 * on Node's compile cache before loading the real CLI (`dist/cliMain.js`, built from `main.ts`).
 * Node parses a script whole before running it, so the 1.6 MB CLI bundle costs tens of
 * milliseconds that `--version` never needs, and that a warm compile cache saves every command.
 * Where Node has no compile cache (before 22.1), V8's code cache does the same (`codeCache.ts`).
 */
import module from "node:module";
import { homedir } from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { version } from "../../package.json";
import { requireWithCodeCache } from "../node/codeCache";
import { compileCacheDir } from "../node/paths";

/** `module.enableCompileCache` arrived in Node 22.1; Node 20 has none (see docs/performance.md). */
type CompileCacheModule = { enableCompileCache?: (directory: string) => unknown };

/** The per-user folder compiled code is kept in, or undefined without a home or XDG cache folder. */
function cacheDirectory(): string | undefined {
  let home: string | undefined;
  try {
    home = homedir();
  } catch {
    // No home directory (a service account): no per-user folder, so no cache.
  }
  return compileCacheDir(process.env, home);
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${version}\n`);
} else {
  // sql.js's SQLite is WebAssembly: V8 compiles it quickly (Liftoff), then again with its optimising
  // compiler in the background once a function is hot, and the biggest (the SQL interpreter) takes
  // about 100 ms. Node waits for that before it exits, so every command that opens the store paid
  // it at exit. The quick tier alone measured no slower for 100,000 events or a 50-workstream run.
  // Set before the CLI is compiled: V8's code caches carry the flags they were made under.
  setFlagsFromString("--liftoff-only");
  // A path esbuild does not follow, so the CLI stays a separate file that is parsed only here.
  const cli = path.join(__dirname, "cliMain.js");
  // Node's own switch for its compile cache turns ours off too.
  const disabled = (process.env.NODE_DISABLE_COMPILE_CACHE ?? "") !== "";
  const directory = disabled ? undefined : cacheDirectory();
  const enable = (module as CompileCacheModule).enableCompileCache;
  if (directory !== undefined && enable === undefined) {
    requireWithCodeCache(cli, path.join(directory, "v8"));
  } else {
    // A cache that cannot be written is only slower: Node reports it in its return value, not by throwing.
    if (directory !== undefined && enable !== undefined) enable(directory);
    // A plain require keeps it synchronous and CommonJS, which is what the compile cache covers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(cli);
  }
}
