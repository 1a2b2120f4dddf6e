/**
 * `wsp aim status --json` with the five installed real CLIs on PATH: config/ai_tools.yaml's version
 * commands and patterns must recognise what the real binaries print.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { type AgentCli, agentClis } from "../../src/core/agents/types";
import { ensureBuilt, REPO } from "../orchestrator/support";
import { createTempDir } from "../support/tempRepo";
import { installedCli } from "./support/tools";

/** config/ai_tools.yaml's tool id and command name of each CLI. */
const registryId: Record<AgentCli, string> = {
  codex: "codex",
  claude: "claude-code",
  gemini: "gemini",
  qwen: "qwen-code",
  opencode: "opencode",
};

describe("wsp aim status with the real CLIs @slow", function () {
  this.timeout(60_000);
  before(ensureBuilt);

  it("detects all five by their version commands and reports the pinned versions", async () => {
    const dir = createTempDir("wsp-aim-real-");
    try {
      const bin = path.join(dir.root, "bin");
      mkdirSync(bin);
      for (const cli of agentClis) symlinkSync(installedCli(cli).bin, path.join(bin, cli));
      const home = path.join(dir.root, "home");
      mkdirSync(home);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(REPO, "dist", "cli.js"), "aim", "status", "--json"],
        {
          cwd: REPO,
          // Only the CLIs and node: nothing else of the machine's can be detected by accident.
          env: { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home },
        },
      );
      const status = JSON.parse(stdout) as {
        tools: { id: string; installed: boolean; version?: string; rawVersion?: string }[];
        routing: { capability: string; selected: string | null }[];
      };
      for (const cli of agentClis) {
        const found = status.tools.find((tool) => tool.id === registryId[cli]);
        assert.deepEqual(
          { installed: found?.installed, version: found?.version },
          { installed: true, version: installedCli(cli).version },
          `${cli}: ${found?.rawVersion ?? "no output"}`,
        );
      }
      const codeEdit = status.routing.find((entry) => entry.capability === "code_edit");
      assert.equal(codeEdit?.selected, "claude-code", "the primary is installed, so it is chosen");
    } finally {
      dir.remove();
    }
  });
});
