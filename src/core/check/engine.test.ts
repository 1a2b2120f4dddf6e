import assert from "node:assert/strict";
import { cacheEntry, cachedResult, emptyCache, parseCache } from "./cache";
import { pluginMatcher } from "./match";
import { orderPlugins } from "./order";
import { BUILTIN_PLUGINS } from "./plugins";
import { buildFileResult, fileStatus, formatFileLine, formatIssue } from "./result";
import { type Issue } from "./types";

const issue = (severity: Issue["severity"]): Issue => ({
  tool: "t",
  path: "a.ts",
  line: 2,
  column: 3,
  code: "X1",
  category: "style",
  severity,
  message: "m",
});

describe("check core", () => {
  it("orders plugins after what they require and rejects cycles", () => {
    const order = orderPlugins(BUILTIN_PLUGINS).map((plugin) => plugin.id);
    assert.ok(order.indexOf("prettier") < order.indexOf("eslint"));
    assert.ok(order.indexOf("ruff") < order.indexOf("mypy"));
    assert.ok(order.indexOf("yaml-syntax") < order.indexOf("yamllint"));
    assert.deepEqual(
      orderPlugins([
        { id: "b", requires: ["a", "missing"] },
        { id: "a", requires: [] },
      ]).map((plugin) => plugin.id),
      ["a", "b"],
    );
    assert.throws(
      () =>
        orderPlugins([
          { id: "a", requires: ["b"] },
          { id: "b", requires: ["a"] },
        ]),
      /cycle: a -> b -> a/,
    );
  });

  it("matches real globs: * matches everything, basename patterns match in subfolders", () => {
    assert.equal(pluginMatcher({ patterns: ["*"] })("deep/dir/x.py"), true);
    assert.equal(pluginMatcher({ patterns: ["*.ts"] })("src/core/a.ts"), true);
    assert.equal(pluginMatcher({ patterns: ["*.ts"] })("src/core/a.tsx"), false);
    assert.equal(pluginMatcher({ patterns: ["scripts/**/*.sh"] })("scripts/x/y.sh"), true);
    assert.equal(pluginMatcher({ patterns: ["*.yml"] })(".github/workflows/ci.yml"), true);
  });

  it("never calls a file PASSED when a plugin was skipped or none ran", () => {
    assert.equal(fileStatus([], ["eslint"], []), "PASSED");
    assert.equal(fileStatus([], ["eslint"], ["tsc"]), "SKIPPED");
    assert.equal(fileStatus([], [], []), "SKIPPED");
    assert.equal(fileStatus([issue("error")], [], ["tsc"]), "FAILED");
    assert.equal(fileStatus([issue("warning")], ["eslint"], []), "PASSED");
  });

  it("formats the per-file line and issue lines exactly", () => {
    const result = buildFileResult("a.ts", [issue("error"), issue("warning")], ["t"], []);
    assert.equal(formatFileLine(result), "a.ts: FAILED | errors=1 warnings=1");
    assert.equal(formatIssue(issue("error")), "a.ts:2:3: error X1: m (t)");
  });

  it("reads a corrupt or foreign cache as empty and reuses only exact hash+toolchain matches", () => {
    assert.deepEqual(parseCache("{not json"), emptyCache());
    assert.deepEqual(parseCache('{"version": 99, "entries": {}}'), emptyCache());
    assert.deepEqual(parseCache(undefined), emptyCache());
    const cache = emptyCache();
    const result = buildFileResult("a.ts", [issue("error")], ["t"], []);
    cache.entries["/r/a.ts"] = cacheEntry("h1", "tc1", "2026-01-01T00:00:00.000Z", result);
    const reread = parseCache(JSON.stringify(cache));
    assert.equal(cachedResult(reread, "/r/a.ts", "h1", "tc1")?.errors, 1);
    assert.equal(cachedResult(reread, "/r/a.ts", "h2", "tc1"), undefined);
    assert.equal(cachedResult(reread, "/r/a.ts", "h1", "tc2"), undefined);
    const partlyBroken = JSON.stringify({ version: 1, entries: { "/x": { hash: 3 }, ...reread.entries } });
    assert.deepEqual(Object.keys(parseCache(partlyBroken).entries), ["/r/a.ts"]);
  });
});
