import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist", "cli.js");
const packageVersion = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }
).version;

describe("the dist/cli.js launcher @slow", function () {
  this.timeout(60_000);
  let home: string;
  before(() => execFileSync(process.execPath, ["esbuild.mjs"], { cwd: root }));
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), "wsp-launch-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const wsp = (...args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: home },
    });

  it("answers --version and -V itself, as commander would", () => {
    for (const flag of ["--version", "-V"]) {
      const result = wsp(flag);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, `${packageVersion}\n`);
      assert.equal(result.stderr, "");
    }
  });

  it("hands every other command line to the full CLI, exit codes included", () => {
    const help = wsp("--help");
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: wsp /);
    const validate = wsp("validate");
    assert.equal(validate.status, 0, validate.stderr);
    assert.match(validate.stdout, /bundles in \d+ files: 0 errors/);
    // A version flag among other arguments is the full CLI's business (commander prints the version).
    const mixed = wsp("--version", "--bogus");
    assert.equal(mixed.status, 0);
    assert.equal(mixed.stdout, `${packageVersion}\n`);
    assert.equal(wsp("validate", "--bogus").status, 2);
  });

  it("keeps compiled code under the user's cache folder, with Node's compile cache or V8's code cache", () => {
    assert.equal(wsp("validate").status, 0);
    const cache = path.join(home, ".cache", "workstream-pipeline", "compile-cache");
    const entries = readdirSync(cache);
    if ("enableCompileCache" in module) assert.ok(entries.length > 0, `expected a compile cache in ${cache}`);
    else {
      assert.deepEqual(entries, ["v8"]);
      assert.equal(readdirSync(path.join(cache, "v8")).filter((name) => name.endsWith(".v8cache")).length, 1);
      // The second start reads the cache and behaves the same.
      const again = wsp("validate");
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /bundles in \d+ files: 0 errors/);
    }
  });

  it("runs without a cache when there is no per-user folder to keep one in", () => {
    const result = spawnSync(process.execPath, [cli, "validate"], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: "relative-home", XDG_CACHE_HOME: "relative-cache" },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /bundles in \d+ files: 0 errors/);
  });
});
