/**
 * The five real agent CLIs, installed by scripts/agents/install.mjs, driven against the scripted model
 * server in temp git repos with private homes. Run with `npm run test:agents` (inside a network namespace
 * that has only loopback, so any attempt to reach the internet fails loudly).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type AgentCli, agentClis } from "../../src/core/agents/types";
import { processTree } from "../../src/node/process/processTree";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";
import { type ModelServer, startModelServer } from "./support/modelServer";
import { editScenario, finalText } from "./support/scenarios";
import { type ModelScript } from "./support/script";
import { runCli } from "./support/runCli";

const original = 'export const greet = () => "hello";';
const edited = 'export const greet = () => "hi";';
/**
 * How long a stalled run may take before our timeout kills it: long enough for the CLI to start and
 * reach the stalled model turn on a busy 2-core machine (opencode and the Node CLIs start slowly).
 */
const stallTimeoutMs: Record<AgentCli, number> = {
  codex: 8_000,
  claude: 8_000,
  gemini: 15_000,
  qwen: 15_000,
  opencode: 25_000,
};

describe("real agent CLIs against the scripted model server @slow", function () {
  this.timeout(120_000);
  let repo: TempRepo;
  let state: { root: string; remove(): void };
  let server: ModelServer;
  before(async () => (server = await startModelServer()));
  after(() => server.close());

  beforeEach(() => {
    repo = createTempRepo({ "src/greet.js": `${original}\n` });
    state = createTempDir("wsp-agent-state-");
  });
  afterEach(() => {
    repo.remove();
    state.remove();
  });

  /** One server for the file; each test gives it a fresh script. */
  const serve = (script: ModelScript): ModelServer => {
    server.setScript(script);
    return server;
  };
  const greet = (): string => readFileSync(path.join(repo.root, "src/greet.js"), "utf8");

  for (const cli of agentClis) {
    describe(cli, () => {
      it("edits the file with its own tool, exits 0 and reports success with tokens and cost", async () => {
        const model = serve({
          steps: editScenario(cli, {
            root: repo.root,
            file: "src/greet.js",
            oldText: original,
            newText: edited,
          }),
        });
        const run = await runCli(cli, model, { cwd: repo.root, stateDir: state.root });

        assert.equal(run.process.exitCode, 0, run.process.stderr);
        assert.equal(greet(), `${edited}\n`);
        assert.deepEqual(
          { success: run.result.success, reason: run.result.reason },
          { success: true, reason: undefined },
        );
        assert.equal(run.result.finalMessage, finalText);
        const answered = model.mainRequests().length;
        // Every main turn reports 1200 input / 80 output tokens (see script.ts).
        assert.equal(run.result.tokens.input, 1200 * answered);
        assert.equal(run.result.tokens.output, 80 * answered);
        assert.ok(
          run.result.costUsd !== undefined && run.result.costUsd > 0,
          "a cost, reported or estimated",
        );
        assert.equal(run.result.costIsEstimate, cli !== "claude", "only claude reports its own cost here");
        assert.ok(
          model.requests.every((request) => request.answered !== "probe" || request.method === "HEAD"),
          `only known routes were used: ${JSON.stringify(model.requests.map((request) => request.path))}`,
        );
      });

      it("fails with a clear reason when the model answers 400", async () => {
        const model = serve({
          steps: [{ kind: "http_error", status: 400, message: "scripted refusal: model not allowed" }],
        });
        const run = await runCli(cli, model, { cwd: repo.root, stateDir: state.root, timeoutMs: 60_000 });

        assert.notEqual(run.process.timedOut, true, "failed on its own, not by our timeout");
        assert.equal(run.result.success, false);
        assert.match(run.result.reason ?? "", /400|scripted refusal|not allowed/i);
        assert.equal(greet(), `${original}\n`);
      });

      // wspRun.test.ts stalls every CLI through `wsp run`; directly, the fastest one is enough.
      if (cli === "codex")
        it("is killed with its whole process tree when the model stalls", async () => {
          const model = serve({ steps: [{ kind: "stall" }] });
          let largestTree = 0;
          const sampler = setInterval(() => {
            for (const tag of tagsSeen())
              largestTree = Math.max(largestTree, processTree(undefined, tag).length);
          }, 100);
          const run = await runCli(cli, model, {
            cwd: repo.root,
            stateDir: state.root,
            timeoutMs: stallTimeoutMs[cli],
          }).finally(() => clearInterval(sampler));

          assert.equal(run.process.timedOut, true);
          assert.equal(model.mainRequests().length, 1, "the CLI was waiting on the stalled model turn");
          assert.equal(run.result.success, false);
          assert.match(
            run.result.reason ?? "",
            new RegExp(`timed out after ${stallTimeoutMs[cli] / 1000} s`),
          );
          assert.ok(largestTree >= 1, "the run's processes were seen while it ran");
          assert.deepEqual(processTree(undefined, run.process.tag), [], "no process of the run survives");
        });
    });
  }

  it("claude without permission flags: edits are refused and the parser says failure despite exit 0", async () => {
    const model = serve({
      steps: editScenario("claude", {
        root: repo.root,
        file: "src/greet.js",
        oldText: original,
        newText: edited,
      }),
    });
    const run = await runCli("claude", model, {
      cwd: repo.root,
      stateDir: state.root,
      adjust: (launch) => ({ ...launch, args: withoutPermissionFlags(launch.args) }),
    });

    assert.equal(run.process.exitCode, 0);
    assert.equal(greet(), `${original}\n`);
    assert.equal(run.result.success, false);
    assert.match(
      run.result.reason ?? "",
      /claude refused \d+ tool call\(s\) for lack of permission \(Edit\)/,
    );
  });
});

function withoutPermissionFlags(args: string[]): string[] {
  const dropped = new Set(["--permission-mode", "--allowedTools"]);
  return args.filter((arg, index) => !dropped.has(arg) && !dropped.has(args[index - 1] ?? ""));
}

/** Tags of agent runs now alive (read from /proc environments), for sampling tree sizes. */
function tagsSeen(): string[] {
  const tags = new Set<string>();
  for (const pid of processTree(process.pid, "none")) {
    try {
      const match = /WSP_AGENT_RUN_TAG=([^\0]+)/.exec(readFileSync(`/proc/${pid}/environ`, "utf8"));
      if (match?.[1] !== undefined) tags.add(match[1]);
    } catch {
      // gone meanwhile
    }
  }
  return [...tags];
}
