/**
 * The shipped default, `user` isolation, with the real CLIs: the run uses the user's HOME (where their
 * login and settings live) yet leaves no session files there, so workstreams running at once never share
 * a CLI's session (opencode cannot separate its session store from its login: see the usage doc).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type AgentCli } from "../../src/core/agents/types";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";
import { type ModelServer, startModelServer } from "./support/modelServer";
import { runCli } from "./support/runCli";
import { editScenario } from "./support/scenarios";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Where each CLI would keep a session of the run, relative to HOME. */
const sessionStores: Partial<Record<AgentCli, { dir: string; session: RegExp }>> = {
  codex: { dir: ".codex", session: /sessions\/.*\.jsonl$/ },
  claude: { dir: ".claude", session: /projects\/.*\.jsonl$/ },
};

describe("real agent CLIs in user isolation (the shipped default) @slow", function () {
  this.timeout(120_000);
  let server: ModelServer;
  let repo: TempRepo;
  let state: { root: string; remove(): void };
  before(async () => (server = await startModelServer()));
  after(() => server.close());
  beforeEach(() => {
    repo = createTempRepo({ "src/greet.js": 'export const greet = () => "hello";\n' });
    state = createTempDir("wsp-agent-user-");
  });
  afterEach(() => {
    repo.remove();
    state.remove();
  });

  for (const cli of ["codex", "claude", "gemini", "qwen"] as const) {
    it(`${cli}: edits with the user's HOME and leaves no session of the run there`, async () => {
      const home = path.join(state.root, "home");
      mkdirSync(home);
      server.setScript({
        steps: editScenario(cli, {
          root: repo.root,
          file: "src/greet.js",
          oldText: 'export const greet = () => "hello";',
          newText: 'export const greet = () => "hi";',
        }),
      });
      const run = await runCli(cli, server, {
        cwd: repo.root,
        stateDir: path.join(state.root, "run"),
        isolation: "user",
        home,
      });

      assert.equal(run.launch.env.HOME, home, "the user's HOME is kept");
      assert.deepEqual(
        { success: run.result.success, reason: run.result.reason },
        { success: true, reason: undefined },
      );
      assert.match(readFileSync(path.join(repo.root, "src/greet.js"), "utf8"), /"hi"/);
      const store = sessionStores[cli];
      if (store !== undefined) {
        const sessions = filesUnder(path.join(home, store.dir)).filter((file) => store.session.test(file));
        assert.deepEqual(sessions, [], `${cli} kept no session file of the run`);
      } else {
        const at = run.launch.args.indexOf("--session-id");
        assert.match(run.launch.args[at + 1] ?? "", /^[0-9a-f-]{36}$/, "a fresh session id of this run");
      }
    });
  }
});
