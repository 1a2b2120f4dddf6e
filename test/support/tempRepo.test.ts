import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createTempRepo } from "./tempRepo";

describe("test support: temp repositories", () => {
  it("commits the given files on main", () => {
    const repo = createTempRepo({ "src/a.txt": "hello\n" });
    try {
      assert.equal(readFileSync(path.join(repo.root, "src/a.txt"), "utf8"), "hello\n");
      assert.equal(repo.git("rev-parse", "--abbrev-ref", "HEAD").trim(), "main");
      assert.equal(repo.git("status", "--porcelain"), "");
    } finally {
      repo.remove();
    }
    assert.equal(existsSync(repo.root), false);
  });
});
