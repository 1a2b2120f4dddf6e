/**
 * `wsp run --all` over the example DAG (the repo's workstreams/ and example/, copied into a temp git
 * repo) with a different real agent CLI per workstream, all against one scripted model server. Each
 * workstream's channel scripts its CLI to leave exactly the files the scripted editor would (the
 * bundle's `scripted_edits`, FIX included), so the example's acceptance tests decide, as in the demo.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { applyEdit } from "../../src/cli/commands/scriptedEdit";
import { captureIO } from "../../src/cli/io";
import { type Bundle, type ScriptedEdit } from "../../src/core/bundle/types";
import { type AgentCli } from "../../src/core/agents/types";
import { openStore } from "../../src/node/store";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";
import { type ModelServer, startModelServer } from "./support/modelServer";
import { cliEndpoint } from "./support/runCli";
import { type FileWrite, finalText, writeSteps } from "./support/scenarios";
import { type ScriptStep } from "./support/script";
import { installedCli } from "./support/tools";

const projectRoot = path.resolve(__dirname, "..", "..");

/** Which real CLI edits which example workstream (ws-reorder needs one FIX: Qwen Code does both turns). */
const cliFor: Record<string, { cli: AgentCli; profile: string }> = {
  "ws-stock-core": { cli: "codex", profile: "codex" },
  "ws-docs": { cli: "claude", profile: "claude-code" },
  "ws-pricing": { cli: "gemini", profile: "gemini" },
  "ws-reorder": { cli: "qwen", profile: "qwen-code" },
  "ws-report": { cli: "opencode", profile: "opencode" },
};

function loadBundles(dir: string): Bundle[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as Bundle);
}

function topological(bundles: Bundle[]): Bundle[] {
  const done = new Set<string>();
  const ordered: Bundle[] = [];
  while (ordered.length < bundles.length) {
    const ready = bundles.filter((b) => !done.has(b.id) && b.depends_on.every((dep) => done.has(dep)));
    assert.ok(ready.length > 0, "the example set has a cycle");
    for (const bundle of ready) {
      done.add(bundle.id);
      ordered.push(bundle);
    }
  }
  return ordered;
}

/**
 * Applies every bundle's scripted edits in dependency order to a scratch copy (each workstream starts
 * from its dependencies' work, as in a DAG run) and records each phase as whole-file writes.
 */
function phasesByWorkstream(bundles: Bundle[], scratch: string): Map<string, FileWrite[][]> {
  const phases = new Map<string, FileWrite[][]>();
  for (const bundle of topological(bundles)) {
    const edits: ScriptedEdit[][] = [
      bundle.scripted_edits?.edit ?? [],
      ...(bundle.scripted_edits?.fix ?? []),
    ];
    phases.set(
      bundle.id,
      edits.map((phase) => {
        const files = [...new Set(phase.map((edit) => edit.path))];
        const read = (file: string) => {
          const full = path.join(scratch, file);
          return existsSync(full) ? readFileSync(full, "utf8") : undefined;
        };
        const before = new Map(files.map((file) => [file, read(file)]));
        for (const edit of phase) applyEdit(scratch, edit);
        return files.map((file) => ({
          file,
          ...(before.get(file) !== undefined ? { before: before.get(file) } : {}),
          after: read(file) ?? "",
        }));
      }),
    );
  }
  return phases;
}

describe("wsp run --all over the example DAG, a different real CLI per workstream @slow", function () {
  this.timeout(180_000);
  let repo: TempRepo;
  let scratch: { root: string; remove(): void };
  let server: ModelServer;
  before(async () => (server = await startModelServer()));
  after(() => server.close());
  afterEach(() => {
    repo.remove();
    scratch.remove();
  });

  it("runs every workstream to done, each edited by its own CLI", async () => {
    repo = createTempRepo({}, "wsp-example-dag-");
    for (const dir of ["workstreams", "example", "docs", "config"])
      cpSync(path.join(projectRoot, dir), path.join(repo.root, dir), { recursive: true });
    scratch = createTempDir("wsp-example-scratch-");
    cpSync(path.join(projectRoot, "example"), path.join(scratch.root, "example"), { recursive: true });
    const bundles = loadBundles(path.join(repo.root, "workstreams"));
    assert.deepEqual(bundles.map((b) => b.id).sort(), Object.keys(cliFor).sort());
    const phases = phasesByWorkstream(bundles, scratch.root);

    const profilesFile = path.join(repo.root, "config", "tool_profiles.json");
    const profiles = JSON.parse(readFileSync(profilesFile, "utf8")) as Record<string, unknown>;
    const stepCounts = new Map<string, number>();
    for (const bundle of bundles) {
      const { cli, profile } = cliFor[bundle.id];
      const worktree = path.join(repo.root, ".worktrees", bundle.id);
      const steps: ScriptStep[] = (phases.get(bundle.id) ?? []).flatMap((writes) => [
        ...writeSteps(cli, worktree, writes),
        { kind: "text" as const, text: finalText },
      ]);
      server.setScript({ steps }, bundle.id);
      stepCounts.set(bundle.id, steps.length);
      profiles[profile] = {
        kind: "edit",
        command: installedCli(cli).bin,
        timeout_sec: 90,
        agent: {
          cli,
          model: cliEndpoint[cli].model,
          base_url: server.channelOrigin(bundle.id) + cliEndpoint[cli].apiPath,
          isolation: "private",
          retries: 0,
          offline: true,
        },
      };
      const bundleFile = path.join(repo.root, "workstreams", `${bundle.id}.json`);
      const raw = JSON.parse(readFileSync(bundleFile, "utf8")) as Record<string, unknown>;
      writeFileSync(bundleFile, `${JSON.stringify({ ...raw, tool: profile }, null, 2)}\n`);
    }
    writeFileSync(profilesFile, `${JSON.stringify(profiles, null, 2)}\n`);
    repo.commitAll("example workspace, one real CLI per workstream");

    const dbPath = path.join(repo.root, "state", "pipeline.db");
    const io = captureIO(repo.root, {
      ...process.env,
      PIPELINE_DB_PATH: dbPath,
      OPENAI_API_KEY: "dummy",
      ANTHROPIC_API_KEY: "sk-ant-dummy",
      GEMINI_API_KEY: "dummy",
    });
    const code = await run(undefined, { all: true, runId: "dag-real", jobs: "2" }, io);
    const output = JSON.parse(io.stdout) as {
      final_status: string;
      workstreams: { ws_id: string; final_status: string }[];
    };

    assert.equal(code, 0, `${io.stdout}\n${io.stderr}`);
    assert.equal(output.final_status, "succeeded");
    assert.deepEqual(
      Object.fromEntries(output.workstreams.map((w) => [w.ws_id, w.final_status])),
      Object.fromEntries(bundles.map((b) => [b.id, "done"])),
    );
    // ws-report builds on every workstream but ws-docs: its branch holds what the scripted editor makes.
    for (const file of ["example/src/inventory.js", "example/src/index.js", "example/src/report.js"])
      assert.equal(
        repo.git("show", `workstream/ws-report:${file}`),
        readFileSync(path.join(scratch.root, file), "utf8"),
        file,
      );
    assert.equal(
      repo.git("show", "workstream/ws-docs:example/README.md"),
      readFileSync(path.join(scratch.root, "example/README.md"), "utf8"),
    );
    for (const [id, count] of stepCounts)
      assert.ok(server.mainRequests(id).length >= count, `${id}: its CLI played its whole script`);
    const store = await openStore({ path: dbPath });
    try {
      const toolRuns = await store.eventsAfter(0, { runId: "dag-real", types: ["tool_run"] });
      const editors = new Map<string, string>();
      for (const event of toolRuns) {
        const result = event.payload?.tool_result as { tool_id: string; usage: { input_tokens?: number } };
        if (event.wsId === null || !(event.wsId in cliFor)) continue;
        if (result.tool_id !== cliFor[event.wsId].profile) continue;
        editors.set(event.wsId, result.tool_id);
        assert.ok((result.usage.input_tokens ?? 0) > 0, `${event.wsId}: tokens recorded`);
      }
      assert.deepEqual(
        Object.fromEntries(editors),
        Object.fromEntries(Object.entries(cliFor).map(([id, { profile }]) => [id, profile])),
      );
      const fixes = await store.eventsAfter(0, { runId: "dag-real", types: ["fix_attempt"] });
      assert.deepEqual(
        fixes.map((event) => event.wsId),
        ["ws-reorder"],
        "Qwen Code's first answer fails the test, its FIX turn passes it",
      );
    } finally {
      await store.close();
    }
  });
});
