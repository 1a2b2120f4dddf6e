import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import { type CliResult } from "../../../src/extension/commands/cliCommands";
import { activateExtension, finishedRun, waitFor, workspaceRoot } from "./helpers";

suite("run and setup commands @slow", () => {
  test("Dry Run plans a workstream through every step and runs none of its tools", async () => {
    // ws-run-hang's edit tool never ends: the dry run finishing at all shows no tool ran.
    const key = await vscode.commands.executeCommand<number>(
      "workstreamPipeline.workstream.dryRun",
      "ws-run-hang",
    );
    const run = await finishedRun(key, 20_000);
    const transcript = run.transcript.join("");
    assert.equal(run.exitCode, 0, transcript);
    assert.ok(run.events.length > 0, "no events streamed");
    assert.ok(
      run.events.some((event) => event.type === "step_start" && event.payload.dry_run === true),
      `no dry-run step in the events:\n${transcript}`,
    );
    assert.ok(
      !existsSync(path.join(workspaceRoot().fsPath, ".worktrees", "ws-run-hang")),
      "a worktree was made",
    );
  });

  test("Retry runs a failed workstream again as a new run", async () => {
    const api = await activateExtension();
    const first = await finishedRun(
      await vscode.commands.executeCommand<number>("workstreamPipeline.workstream.run", "ws-run-xss"),
    );
    assert.notEqual(first.exitCode, 0);
    await waitFor("the tree to show the failure", () =>
      api.runStatus("ws-run-xss") === "failed" ? true : undefined,
    );
    const again = await finishedRun(
      await vscode.commands.executeCommand<number>("workstreamPipeline.workstream.retry", "ws-run-xss"),
    );
    assert.notEqual(again.key, first.key);
    assert.ok(again.runId !== undefined && again.runId !== first.runId, "the retry reused the run id");
    assert.notEqual(again.exitCode, 0, "the same failure fails again");
  });

  test("Open Worktree explains when a workstream has none, and opens nothing", async () => {
    await activateExtension();
    const opened = await vscode.commands.executeCommand<string | undefined>(
      "workstreamPipeline.workstream.openWorktree",
      "ws-inventory-audit",
    );
    assert.equal(opened, undefined);
  });

  test("Initialize State Store creates the store where the CLI keeps it", async () => {
    await activateExtension();
    const result = await vscode.commands.executeCommand<CliResult>("workstreamPipeline.store.init");
    assert.equal(result.code, 0, result.stderr);
    const store = path.join(workspaceRoot().fsPath, "state", "pipeline.db");
    assert.equal(result.stdout.trim(), store);
    assert.ok(existsSync(store));
  });

  test("Show AI Tool Status lists every registered CLI and the routing", async () => {
    await activateExtension();
    const result = await vscode.commands.executeCommand<CliResult>("workstreamPipeline.tools.status");
    assert.equal(result.code, 0, result.stderr);
    for (const tool of ["codex", "claude-code", "gemini", "qwen-code", "opencode", "aider"])
      assert.match(result.stdout, new RegExp(`^\\s+${tool}\\s`, "m"), result.stdout);
    assert.match(result.stdout, /^Routing:/m);
  });
});
