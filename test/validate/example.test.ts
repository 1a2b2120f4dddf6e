import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Bundle } from "../../src/core/bundle";
import { validateWorkspaceDir } from "../../src/node/bundles";
import { createTempDir } from "../support/tempRepo";
import { applyScriptedEdits } from "./support/applyScriptedEdits";

const root = path.resolve(__dirname, "..", "..");

function loadExampleBundles(): Bundle[] {
  const dir = path.join(root, "workstreams");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Bundle);
}

/** Runs one acceptance test command (they are all `node --test <file>`) without a shell. */
function passes(cwd: string, command: string): boolean {
  const [program, ...args] = command.split(" ");
  assert.equal(program, "node");
  return spawnSync(process.execPath, args, { cwd, encoding: "utf8" }).status === 0;
}

/** Dependencies first, ties by id: the order a serial run would take. */
function topological(bundles: Bundle[]): Bundle[] {
  const done = new Set<string>();
  const order: Bundle[] = [];
  while (order.length < bundles.length) {
    const ready = bundles
      .filter((b) => !done.has(b.id) && (b.depends_on ?? []).every((d) => done.has(d)))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.ok(ready.length > 0, "the example set has a cycle");
    for (const bundle of ready) {
      order.push(bundle);
      done.add(bundle.id);
    }
  }
  return order;
}

describe("the example workstreams @slow", () => {
  it("validate with no error, one ordered overlap as info, and form a DAG with a diamond", async () => {
    const { diagnostics, bundles } = await validateWorkspaceDir(path.join(root, "workstreams"));
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === "error"),
      [],
    );
    assert.deepEqual(
      diagnostics.filter((d) => d.type === "overlap").map((d) => [d.id, d.severity]),
      [
        ["ws-report", "info"],
        ["ws-stock-core", "info"],
      ],
    );
    assert.ok(bundles.length >= 4 && bundles.length <= 6);
    const report = bundles.find((loaded) => loaded.bundle.id === "ws-report")!.bundle;
    assert.deepEqual(report.depends_on, ["ws-pricing", "ws-reorder"]);
    for (const middle of report.depends_on)
      assert.deepEqual(bundles.find((loaded) => loaded.bundle.id === middle)!.bundle.depends_on, [
        "ws-stock-core",
      ]);
  });

  it("reference IDX tags that docs/example/spec.md defines", () => {
    const spec = readFileSync(path.join(root, "docs", "example", "spec.md"), "utf8");
    for (const bundle of loadExampleBundles())
      for (const task of bundle.tasks) {
        const tags = task.match(/\[IDX-[A-Z0-9-]+\]/g) ?? [];
        assert.ok(tags.length > 0, `${bundle.id}: task without an IDX tag: ${task}`);
        for (const tag of tags) assert.ok(spec.includes(tag), `${bundle.id}: ${tag} is not in the spec`);
      }
  });

  it("fail their acceptance tests before the edits and pass after them, with one FIX needed", () => {
    const temp = createTempDir("wsp-example-");
    try {
      cpSync(path.join(root, "example"), path.join(temp.root, "example"), { recursive: true });
      const bundles = topological(loadExampleBundles());
      for (const bundle of bundles)
        for (const command of bundle.acceptance_tests)
          assert.equal(passes(temp.root, command), false, `${bundle.id}: ${command} passes before any edit`);

      const fixed: string[] = [];
      for (const bundle of bundles) {
        applyScriptedEdits(temp.root, bundle.scripted_edits?.edit ?? []);
        const allPass = (): boolean => bundle.acceptance_tests.every((command) => passes(temp.root, command));
        let attempt = 0;
        while (!allPass()) {
          const fix = bundle.scripted_edits?.fix?.[attempt++];
          assert.ok(fix, `${bundle.id}: acceptance tests still fail after ${attempt - 1} fix attempts`);
          applyScriptedEdits(temp.root, fix);
          fixed.push(bundle.id);
        }
      }
      assert.deepEqual(fixed, ["ws-reorder"]);
      for (const file of readdirSync(path.join(temp.root, "example", "src")))
        execFileSync(process.execPath, ["--check", path.join(temp.root, "example", "src", file)]);
      const all = spawnSync(process.execPath, ["--test", "example/test/"], {
        cwd: temp.root,
        encoding: "utf8",
      });
      assert.equal(all.status, 0, all.stdout);
    } finally {
      temp.remove();
    }
  });
});
