import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { errorsShow, errorsTick } from "../../src/cli/commands/errors";
import { captureIO } from "../../src/cli/io";
import { openStore } from "../../src/node/store";
import { createTempDir } from "../support/tempRepo";
import { pathWithTools } from "./support";

const agentsDir = path.join(__dirname, "agents");
const brokenScript = "#!/bin/sh\necho $1\nif [ x ]\n";

describe("wsp errors @slow", function () {
  this.timeout(120_000);
  let dir: { root: string; remove(): void };
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = createTempDir("wsp-errors-");
    // aider is not installed; the codex and claude stand-ins answer --version and change nothing.
    env = { PATH: `${agentsDir}${path.delimiter}${pathWithTools()}` };
    mkdirSync(path.join(dir.root, "config"));
  });
  afterEach(() => dir.remove());

  const profiles = (entries: Record<string, { command: string; args: string[] }>) =>
    writeFileSync(path.join(dir.root, "config", "tool_profiles.json"), JSON.stringify(entries));

  async function tickUntilFinal(files: string[]): Promise<string[]> {
    const transitions: string[] = [];
    for (let step = 0; step < 12; step++) {
      const io = captureIO(dir.root, env);
      const code = await errorsTick(
        { runId: "R1", wsId: "ws-a", ...(step === 0 && files.length > 0 ? { files } : {}), json: true },
        io,
      );
      const result = JSON.parse(io.stdout) as { advanced: boolean; context: { current_state: string } };
      if (!result.advanced) break;
      transitions.push(result.context.current_state);
      if (result.context.current_state === "S4_QUARANTINE") assert.equal(code, 1);
    }
    return transitions;
  }

  it("escalates past the missing primary through the AI editors in routing order, then quarantines", async () => {
    writeFileSync(path.join(dir.root, "a.sh"), brokenScript);
    profiles({
      aider: { command: "aider", args: ["--message-file", "{prompt_file}"] },
      codex: { command: "codex", args: ["exec", "{prompt}"] },
      "claude-code": { command: "claude", args: ["-p", "{prompt}"] },
    });
    const transitions = await tickUntilFinal(["a.sh"]);
    assert.deepEqual(transitions, [
      "S0_MECHANICAL_AUTOFIX",
      "S0_MECHANICAL_RECHECK",
      "S_AI_FIX",
      "S_AI_RECHECK",
      "S_AI_FIX",
      "S_AI_RECHECK",
      "S4_QUARANTINE",
    ]);
    assert.equal(readFileSync(path.join(dir.root, "a.sh"), "utf8"), brokenScript);

    const show = captureIO(dir.root, env);
    await errorsShow({ runId: "R1", wsId: "ws-a", json: true }, show);
    const context = JSON.parse(show.stdout) as {
      ai_tools: string[];
      ai_attempts: { tool: string }[];
      final_status: string;
      last_report: { errors: number };
    };
    assert.deepEqual(context.ai_tools, ["codex", "claude-code"], "aider, the primary, is not installed");
    assert.deepEqual(
      context.ai_attempts.map((attempt) => attempt.tool),
      ["codex", "claude-code"],
    );
    assert.equal(context.final_status, "quarantined");
    assert.equal(context.last_report.errors, 3);

    const store = await openStore({ path: path.join(dir.root, "state", "pipeline.db"), readOnly: true });
    try {
      const audits = await store.eventsAfter(0, { runId: "R1", types: ["aim_invocation"] });
      assert.deepEqual(
        audits.map((event) => [
          event.payload?.tool_id,
          event.payload?.route_index,
          event.payload?.capability,
        ]),
        [
          ["codex", 0, "error_fix"],
          ["claude-code", 1, "error_fix"],
        ],
      );
    } finally {
      await store.close();
    }

    // A tick after the end does nothing.
    const after = captureIO(dir.root, env);
    assert.equal(await errorsTick({ runId: "R1", wsId: "ws-a" }, after), 1);
    assert.match(after.stdout, /already S4_QUARANTINE \(quarantined\)/);
  });

  it("succeeds after an AI editor fixes the file", async () => {
    writeFileSync(path.join(dir.root, "a.sh"), brokenScript);
    profiles({
      codex: {
        command: process.execPath,
        args: [path.join(agentsDir, "shell-fixer.cjs"), "{prompt_file}", "{cwd}"],
      },
    });
    const transitions = await tickUntilFinal(["a.sh"]);
    assert.deepEqual(transitions.slice(-3), ["S_AI_FIX", "S_AI_RECHECK", "S_SUCCESS"]);
    assert.equal(readFileSync(path.join(dir.root, "a.sh"), "utf8"), '#!/bin/sh\necho "$1"\n');
  });

  it("succeeds after the mechanical autofix; without --files it checks the bundle's scope", async () => {
    writeFileSync(path.join(dir.root, "data.json"), '{"a":1}\n');
    mkdirSync(path.join(dir.root, "workstreams"));
    writeFileSync(
      path.join(dir.root, "workstreams", "ws-a.json"),
      JSON.stringify({
        id: "ws-a",
        openspec_change: "C-1",
        ccpm_issue: 1,
        gate: 1,
        files_scope: ["*.json", "missing.txt"],
        tasks: [],
        tool: "aider",
      }),
    );
    const transitions = await tickUntilFinal([]);
    assert.deepEqual(transitions, ["S0_MECHANICAL_AUTOFIX", "S0_MECHANICAL_RECHECK", "S_SUCCESS"]);
    assert.equal(readFileSync(path.join(dir.root, "data.json"), "utf8"), '{ "a": 1 }\n');
    const show = captureIO(dir.root, env);
    await errorsShow({ runId: "R1", wsId: "ws-a" }, show);
    assert.match(show.stdout, /^files: data\.json$/m);
  });
});
