import assert from "node:assert/strict";
import path from "node:path";
import {
  compileCacheDir,
  resolveDbPath,
  resolveSchemaPath,
  resolveToolProfilesPath,
  resolveWorkstreamDir,
  resolveWorktreesDir,
} from "../src/node/paths";

describe("path defaults (src/node/paths.ts)", () => {
  const cwd = path.resolve("/work/repo/sub");
  const root = path.resolve("/work/repo");

  it("uses the default when the variable is unset or empty", () => {
    for (const env of [
      {},
      { PIPELINE_WORKSTREAM_DIR: "", PIPELINE_WORKTREES_DIR: "", PIPELINE_DB_PATH: "" },
    ]) {
      assert.equal(resolveWorkstreamDir(cwd, env), path.join(cwd, "workstreams"));
      assert.equal(resolveWorktreesDir(root, env), path.join(root, ".worktrees"));
      assert.equal(resolveDbPath(undefined, env, cwd), path.join(cwd, "state", "pipeline.db"));
      assert.equal(resolveSchemaPath(undefined, { PIPELINE_SCHEMA_PATH: "" }, cwd), undefined);
      assert.equal(
        resolveToolProfilesPath(root, { PIPELINE_TOOL_PROFILES_PATH: "" }),
        path.join(root, "config", "tool_profiles.json"),
      );
    }
  });

  it("resolves a set variable against the directory each resolver names", () => {
    assert.equal(
      resolveWorkstreamDir(cwd, { PIPELINE_WORKSTREAM_DIR: "bundles" }),
      path.join(cwd, "bundles"),
    );
    assert.equal(resolveWorktreesDir(root, { PIPELINE_WORKTREES_DIR: "../wt" }), path.resolve(root, "../wt"));
    assert.equal(resolveDbPath(undefined, { ERROR_PIPELINE_DB: "old.db" }, cwd), path.join(cwd, "old.db"));
    assert.equal(resolveToolProfilesPath(root, { PIPELINE_TOOL_PROFILES_PATH: "p.json" }), "p.json");
  });

  it("takes an explicit value over the variable, even an empty one", () => {
    const env = {
      PIPELINE_WORKSTREAM_DIR: "bundles",
      PIPELINE_WORKTREES_DIR: "wt",
      PIPELINE_DB_PATH: "x.db",
    };
    assert.equal(resolveWorkstreamDir(cwd, env, "mine"), path.join(cwd, "mine"));
    assert.equal(resolveWorktreesDir(root, env, ""), root);
    assert.equal(resolveDbPath("y.db", env, cwd), path.join(cwd, "y.db"));
  });

  it("keeps the compile cache in a per-user folder, never in a shared or relative one", () => {
    const home = path.resolve("/home/ann");
    const xdg = path.resolve("/var/cache/ann");
    const suffix = path.join("workstream-pipeline", "compile-cache");
    assert.equal(compileCacheDir({}, home), path.join(home, ".cache", suffix));
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: xdg }, home), path.join(xdg, suffix));
    // The XDG spec ignores a relative value, and so does an empty one count as unset.
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: "cache" }, home), path.join(home, ".cache", suffix));
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: "" }, home), path.join(home, ".cache", suffix));
    // No home and no XDG folder: no cache at all, rather than one in /tmp or the working directory.
    assert.equal(compileCacheDir({}, undefined), undefined);
    assert.equal(compileCacheDir({}, ""), undefined);
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: "rel" }, "also-relative"), undefined);
  });
});
