import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireWithCodeCache } from "../../src/node/codeCache";

describe("loading a bundle with V8's code cache", () => {
  let dir: string;
  let cacheDir: string;
  let exitHandlers: NodeJS.ExitListener[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "wsp-code-cache-"));
    cacheDir = path.join(dir, "cache");
    exitHandlers = process.listeners("exit");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the cache writes the loader left for the process's exit, as the exit would. */
  const exit = () => {
    for (const handler of process.listeners("exit"))
      if (!exitHandlers.includes(handler)) {
        process.removeListener("exit", handler);
        handler(0);
      }
  };
  const caches = () => readdirSync(cacheDir).filter((name) => name.endsWith(".v8cache"));
  const load = (file: string) => requireWithCodeCache(file, cacheDir) as { value: number; dir: string };

  it("runs the module as CommonJS, and the next load takes the compiled code from the cache", () => {
    const file = path.join(dir, "bundle.js");
    writeFileSync(
      file,
      "exports.value = [1, 2, 3].map((n) => n * 2).reduce((a, b) => a + b);\nexports.dir = __dirname;\n",
    );
    assert.deepEqual(load(file), { value: 12, dir });
    exit();
    assert.equal(caches().length, 1);
    assert.deepEqual(load(file), { value: 12, dir });
    exit();
    assert.equal(caches().length, 1, "a cache that was accepted is not written again");
  });

  it("never runs another build's code, even one of the same length", () => {
    const file = path.join(dir, "bundle.js");
    writeFileSync(file, "exports.value = 1;\n");
    assert.equal(load(file).value, 1);
    exit();
    writeFileSync(file, "exports.value = 2;\n");
    assert.equal(load(file).value, 2);
    exit();
    assert.equal(caches().length, 2);
  });

  it("takes a damaged cache for none, and replaces it", () => {
    const file = path.join(dir, "bundle.js");
    writeFileSync(file, "exports.value = 7;\n");
    load(file);
    exit();
    const [cache] = caches();
    writeFileSync(path.join(cacheDir, cache), "not a code cache");
    assert.equal(load(file).value, 7);
    exit();
    assert.notEqual(readdirSync(cacheDir).length, 0);
    assert.equal(load(file).value, 7);
  });

  it("drops other builds' caches unused for a month when it writes one", () => {
    const old = path.join(cacheDir, "0".repeat(32) + ".v8cache");
    const recent = path.join(cacheDir, "1".repeat(32) + ".v8cache");
    const file = path.join(dir, "bundle.js");
    writeFileSync(file, "exports.value = 3;\n");
    load(file);
    exit();
    writeFileSync(old, "x");
    writeFileSync(recent, "x");
    const longAgo = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    utimesSync(old, longAgo, longAgo);
    writeFileSync(file, "exports.value = 4;\n");
    load(file);
    exit();
    assert.ok(!caches().includes(path.basename(old)));
    assert.ok(caches().includes(path.basename(recent)));
  });

  it("keeps no more than the newest eight caches of other builds", () => {
    const file = path.join(dir, "bundle.js");
    for (let build = 0; build < 12; build++) {
      writeFileSync(file, `exports.value = ${build};\n`);
      assert.equal(load(file).value, build);
      exit();
      // Each build a second older than the next, as builds come one after another.
      const at = new Date(Date.now() - (12 - build) * 1000);
      for (const name of caches()) {
        const cache = path.join(cacheDir, name);
        if (statSync(cache).mtimeMs > Date.now() - 500) utimesSync(cache, at, at);
      }
    }
    assert.equal(caches().length, 9);
    writeFileSync(file, "exports.value = 0;\n");
    assert.equal(load(file).value, 0, "an old build's dropped cache is only compiled again");
  });

  it("still runs when the cache folder cannot be written", () => {
    const file = path.join(dir, "bundle.js");
    writeFileSync(file, "exports.value = 5;\n");
    writeFileSync(cacheDir, "a file where the folder should be");
    assert.equal(load(file).value, 5);
    exit();
  });
});
