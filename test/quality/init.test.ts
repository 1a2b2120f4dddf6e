import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { init } from "../../src/cli/commands/init";
import { appendIgnoreEntries, missingIgnoreEntries } from "../../src/cli/commands/init/gitignoreEntries";
import { captureIO } from "../../src/cli/io";
import { createTempRepo, type TempRepo } from "../support/tempRepo";
import { pathWithTools } from "./support";

/** Every file under root (but .git) with its content and modification time. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      if (entry.isDirectory()) {
        files[`${relative}/`] = "dir";
        walk(full);
      } else files[relative] = `${statSync(full).mtimeMs} ${readFileSync(full, "utf8")}`;
    }
  };
  walk(root);
  return files;
}

describe("wsp init @slow", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = createTempRepo({ "README.md": "# mine\n" }, "wsp-init-");
  });
  afterEach(() => repo.remove());

  it("bootstraps the folders, shipped config and .gitignore, and a second run changes nothing", async () => {
    const io = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await init({ json: true }, io), 0);
    const first = JSON.parse(io.stdout) as {
      created: string[];
      gitignore: { added: string[] };
      tools: { id: string; available: boolean }[];
    };
    assert.ok(first.created.includes("workstreams/") && first.created.includes("state/"));
    assert.ok(first.created.includes("config/ai_tools.yaml"));
    assert.deepEqual(first.gitignore.added, [".worktrees/", "state/"]);
    assert.equal(first.tools.find((tool) => tool.id === "git")?.available, true);
    assert.equal(first.tools.find((tool) => tool.id === "shellcheck")?.available, true);
    assert.equal(first.tools.find((tool) => tool.id === "aider")?.available, false);
    assert.equal(
      readFileSync(path.join(repo.root, "config", "ai_tools.yaml"), "utf8"),
      readFileSync(path.join(__dirname, "../../config/ai_tools.yaml"), "utf8"),
    );
    assert.equal(
      repo.git("check-ignore", "state/pipeline.db", ".worktrees/ws-a/x").trim().split("\n").length,
      2,
    );

    const before = snapshot(repo.root);
    const again = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await init({}, again), 0);
    assert.deepEqual(snapshot(repo.root), before, "the second run must not touch anything");
    assert.doesNotMatch(again.stdout, /^created/m);
    assert.match(again.stdout, /^kept {4}config\/ai_tools\.yaml \(already there\)$/m);
    assert.match(again.stdout, /^\.gitignore: already ignores/m);
  });

  it("never overwrites a user's config file and keeps their .gitignore lines", async () => {
    mkdirSync(path.join(repo.root, "config"));
    writeFileSync(path.join(repo.root, "config", "ai_tools.yaml"), "# my own registry\n");
    writeFileSync(path.join(repo.root, ".gitignore"), "node_modules\n/state");
    const io = captureIO(repo.root, { PATH: pathWithTools() });
    assert.equal(await init({}, io), 0);
    assert.match(io.stderr, /ai_tools\.yaml:1:1: invalid YAML[\s\S]*shipped registry instead/);
    assert.equal(
      readFileSync(path.join(repo.root, "config", "ai_tools.yaml"), "utf8"),
      "# my own registry\n",
    );
    assert.equal(
      readFileSync(path.join(repo.root, ".gitignore"), "utf8"),
      "node_modules\n/state\n\n# Workstream Pipeline: worktrees and the state store\n.worktrees/\n",
    );
  });

  it("recognises existing ignore entries however they are written", () => {
    assert.deepEqual(missingIgnoreEntries("# state/\n.worktrees\n", [".worktrees/", "state/"]), ["state/"]);
    assert.deepEqual(missingIgnoreEntries("/.worktrees/\nstate\n", [".worktrees/", "state/"]), []);
    assert.equal(
      appendIgnoreEntries("", ["state/"]),
      "# Workstream Pipeline: worktrees and the state store\nstate/\n",
    );
    assert.equal(appendIgnoreEntries("a\n", []), "a\n");
  });
});
