import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import { spawnCli } from "../../../src/extension/runs/cliProcess";
import { processRunning } from "../../../src/node/process/processAlive";
import { descendantsOf } from "../../../src/node/process/processTree";
import { activateExtension, EXTENSION_ID, finishedRun, waitFor, workspaceRoot } from "./helpers";

suite("runs @slow", () => {
  test("the run, review and setup commands are contributed with a category and registered", async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: { commands: { command: string; category?: string }[] };
    };
    const contributed = new Map(
      manifest.contributes.commands.map((entry) => [entry.command, entry.category]),
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const wanted = [
      "workstream.run",
      "workstream.dryRun",
      "run.all",
      "run.cancel",
      "workstream.retry",
      "run.resume",
      "workstream.openWorktree",
      "workstream.reviewChanges",
      "workstream.merge",
      "workstreams.validate",
      "workstreams.exportGithubActions",
      "repository.init",
      "store.init",
      "tools.status",
      "runEvents.show",
    ].map((name) => `workstreamPipeline.${name}`);
    for (const command of wanted) {
      assert.equal(contributed.get(command), "Workstream Pipeline", `${command} contributed with a category`);
      assert.ok(registered.has(command), `${command} registered`);
    }
  });

  test("Run streams the steps to the run's channel, ends done, and the panel lists its events", async () => {
    const api = await activateExtension();
    const key = await vscode.commands.executeCommand<number>(
      "workstreamPipeline.workstream.run",
      "ws-run-ok",
    );
    assert.equal(typeof key, "number");
    const run = await finishedRun(key);
    const transcript = run.transcript.join("");
    assert.equal(run.exitCode, 0, transcript);
    for (const line of ["▶ EDIT", "✔ EDIT", "▶ STATIC", "✔ STATIC", "▶ RUNTIME", "✔ RUNTIME", "→ done"])
      assert.ok(transcript.includes(line), `channel lacks "${line}":\n${transcript}`);
    assert.match(
      transcript,
      /workstream_start \(sandbox: bubblewrap \d/,
      "the channel says the tools ran sandboxed",
    );
    await waitFor("the tree's status to read done from the store", () =>
      api.runStatus("ws-run-ok") === "done" ? true : undefined,
    );
    const rendered = await waitFor("the panel to render the run's events", () => {
      const state = api.panelRendered();
      return state && state.runId === run.runId && state.eventCount >= run.events.length ? state : undefined;
    });
    assert.ok(rendered.eventCount >= 15, `panel shows ${rendered.eventCount} events`);
  });

  test("a failing tool's output reaches the panel's error details", async () => {
    const api = await activateExtension();
    const key = await vscode.commands.executeCommand<number>(
      "workstreamPipeline.workstream.run",
      "ws-run-xss",
    );
    const run = await finishedRun(key);
    assert.notEqual(run.exitCode, 0);
    assert.equal(api.runStatus("ws-run-xss") ?? "failed", "failed");
    await waitFor("the panel to show the error detail", () => {
      const state = api.panelRendered();
      return state && state.runId === run.runId && state.errorCount >= 1 ? true : undefined;
    });
  });

  test("Cancel ends the run's whole process tree within 2 s", async () => {
    const api = await activateExtension();
    const key = await vscode.commands.executeCommand<number>(
      "workstreamPipeline.workstream.run",
      "ws-run-hang",
    );
    const run = api.runs().find((candidate) => candidate.key === key)!;
    const pid = run.process.child.pid!;
    // Wait for the hanging tool (sh and its two sleeps) to be up.
    const tree = await waitFor(
      "the edit tool's processes",
      () => {
        const found = descendantsOf(pid);
        return found.length >= 3 ? found : undefined;
      },
      12_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the run's channel:\n${run.transcript.join("")}`);
    });
    await waitFor("the tree icon to show the run", () =>
      api.runStatus("ws-run-hang") === "editing" ? true : undefined,
    );
    const started = Date.now();
    await vscode.commands.executeCommand("workstreamPipeline.run.cancel", "ws-run-hang");
    const elapsed = Date.now() - started;
    const survivors = [pid, ...tree].filter(processRunning);
    assert.deepEqual(survivors, [], `still alive after cancel: ${survivors.join(", ")}`);
    assert.ok(elapsed < 2000, `cancel took ${elapsed} ms`);
    assert.ok(run.transcript.join("").includes("cancelled"), run.transcript.join(""));
    await waitFor("the store to record the workstream cancelled", () =>
      api.runStatus("ws-run-hang") === "cancelled" ? true : undefined,
    );
  });

  test("Review changes opens a diff of each file the branch changed", async () => {
    await activateExtension();
    const files = await vscode.commands.executeCommand<string[]>(
      "workstreamPipeline.workstream.reviewChanges",
      "ws-run-ok",
    );
    assert.deepEqual(files, ["example/src/ok.js"]);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, "the active tab is not a diff");
    const right = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.equal(right.getText(), "export const ok = () => true;\n");
    const left = await vscode.workspace.openTextDocument(tab.input.original);
    assert.equal(left.getText(), "");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("Merge merges a done workstream into the base", async () => {
    await activateExtension();
    const outcome = await vscode.commands.executeCommand<{ merged: boolean }>(
      "workstreamPipeline.workstream.merge",
      "ws-run-ok",
    );
    assert.deepEqual(outcome, { merged: true });
  });

  test("Merge goes through the queue: a conflict is named, the workstream sent back, and the base left alone", async () => {
    await activateExtension();
    const root = workspaceRoot().fsPath;
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", ...args], {
        cwd: root,
        encoding: "utf8",
      }).trim();
    const commit = (content: string) => {
      writeFileSync(path.join(root, "example", "src", "ok.js"), content);
      git("add", "example/src/ok.js");
      git("commit", "-q", "-m", `ok.js: ${content.trim()}`);
    };
    commit("export const ok = 1;\n");
    const key = await vscode.commands.executeCommand<number>(
      "workstreamPipeline.workstream.run",
      "ws-run-ok",
    );
    assert.equal((await finishedRun(key)).exitCode, 0);
    commit("export const ok = 2;\n");
    const head = git("rev-parse", "HEAD");
    const outcome = await vscode.commands.executeCommand<{ merged: boolean; message?: string }>(
      "workstreamPipeline.workstream.merge",
      "ws-run-ok",
    );
    assert.equal(outcome.merged, false);
    assert.match(outcome.message ?? "", /conflicts with the integration head in example\/src\/ok\.js/);
    assert.equal(git("rev-parse", "HEAD"), head, "the base moved");
  });

  test("a run started outside the editor reaches the tree and the panel through the store", async () => {
    const api = await activateExtension();
    assert.equal(api.runStatus("ws-inventory-core"), undefined, "ws-inventory-core has not run yet");
    const lines: string[] = [];
    const cli = spawnCli({
      extensionPath: vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath,
      cwd: workspaceRoot().fsPath,
      args: ["run", "ws-inventory-core", "--events", "ndjson"],
      onStdoutLine: (line) => lines.push(line),
    });
    await cli.exited;
    const runId = (JSON.parse(lines[0]) as { run_id: string }).run_id;
    assert.equal(
      api.runs().some((run) => run.runId === runId),
      false,
      "the window did not start this run",
    );
    const end = lines
      .map((line) => JSON.parse(line) as { type: string; final_status?: string })
      .find((event) => event.type === "workstream_end");
    assert.ok(end?.final_status, `no workstream_end in:\n${lines.join("\n")}`);
    // No "not yet" check here: the store watcher may fire while the CLI is still exiting. The
    // window started no run, so the store is the only way the tree can learn the outcome.
    await waitFor("the tree to read the outside run from the store", () =>
      api.runStatus("ws-inventory-core") === end.final_status ? true : undefined,
    );
    await vscode.commands.executeCommand("workstreamPipeline.runEvents.show", { runId });
    await waitFor("the panel to show the outside run's history", () => {
      const state = api.panelRendered();
      return state && state.runId === runId && state.eventCount === lines.length ? true : undefined;
    });
  });

  test("the task provider lists each workstream", async () => {
    await activateExtension();
    const tasks = await vscode.tasks.fetchTasks({ type: "workstreamPipeline" });
    const names = tasks.map((task) => task.name);
    assert.ok(names.includes("run ws-run-ok"), names.join(", "));
    assert.ok(names.includes("dry run all"), names.join(", "));
  });
});
