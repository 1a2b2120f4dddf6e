import assert from "node:assert/strict";
import * as vscode from "vscode";
import { type CliResult } from "../../../src/extension/commands/cliRunner";
import { activateExtension, finishedRun, waitFor, workspaceRoot } from "./helpers";

const ID = "ws-review-me";

suite("attention @slow", () => {
  const bundle = () => vscode.Uri.joinPath(workspaceRoot(), "workstreams", `${ID}.json`);

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(bundle()).then(undefined, () => undefined);
  });

  test("a done workstream that requires review waits on you until Approve, which the CLI records", async () => {
    const api = await activateExtension();
    const text = JSON.stringify({
      id: ID,
      title: "Waits for a review",
      openspec_change: "review-me",
      ccpm_issue: 12,
      gate: 1,
      review: "required",
      files_scope: ["example/src/review.js"],
      files_create: ["example/src/review.js"],
      tasks: ["Add review()"],
      acceptance_tests: ["node --check example/src/review.js"],
      depends_on: [],
      tool: "scripted",
      static_tools: [],
      scripted_edits: { edit: [{ path: "example/src/review.js", write: "export const review = 1;\n" }] },
    });
    await vscode.workspace.fs.writeFile(bundle(), new TextEncoder().encode(text));
    await waitFor("the index to read the new bundle", () =>
      api.workstreams().some((workstream) => workstream.id === ID) ? true : undefined,
    );
    const key = await vscode.commands.executeCommand<number>("workstreamPipeline.workstream.run", ID);
    const run = await finishedRun(key);
    assert.equal(run.exitCode, 0, run.transcript.join(""));
    await api.refreshAttention();
    const waiting = api.attention().find((item) => item.wsId === ID);
    assert.equal(waiting?.kind, "awaiting_review", JSON.stringify(api.attention()));

    const approved = await vscode.commands.executeCommand<CliResult>(
      "workstreamPipeline.workstream.approve",
      ID,
    );
    assert.equal(approved?.code, 0, approved?.stderr);
    assert.match(approved.stdout, /"decision":"approved"/);
    await api.refreshAttention();
    assert.equal(
      api.attention().find((item) => item.wsId === ID),
      undefined,
      "still waiting after Approve",
    );
  });
});
