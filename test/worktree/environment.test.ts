/**
 * Worktrees that are ready to work: a repository whose node_modules was installed by real npm from
 * packed tarballs (no network), run through wsp. The new worktree finds its dependencies with
 * nothing installed by hand, an agent that deletes a module changes nothing for the base or another
 * workstream, ports keep two test servers apart, and a .env stays in the base unless named.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { bundle, createWorkspace, type Workspace } from "../orchestrator/support";

const DEPS_TOOL = path.join(__dirname, "fixtures", "depsTool.cjs");

/** A package tarball made by `npm pack`, as a registry would serve it. */
function packedGreeter(dir: string): string {
  const source = path.join(dir, "greeter");
  mkdirSync(source, { recursive: true });
  writeFileSync(
    path.join(source, "package.json"),
    JSON.stringify({ name: "greeter", version: "1.0.0", main: "index.js" }),
  );
  writeFileSync(path.join(source, "index.js"), "module.exports = (name) => `hello ${name}`;\n");
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: source,
    encoding: "utf8",
  }).trim();
  return path.join(dir, name);
}

interface RunOutput {
  final_status: string;
  workstreams?: { ws_id: string; final_status: string }[];
  steps?: { step_name: string; error_message: string | null }[];
}

/** A workspace whose base has node_modules installed by npm from a tarball, and git ignoring it. */
function workspaceWithDependencies(
  bundles: Record<string, unknown>[],
  worktreeYaml: string,
  env: NodeJS.ProcessEnv = {},
): Workspace {
  const ws = createWorkspace(
    bundles,
    {
      ".gitignore": "node_modules/\nstate/\n.env\n.env.example\n",
      "config/worktree.yaml": worktreeYaml,
      "test/serve.js": [
        "const net = require('node:net');",
        "const port = Number(process.env.WSP_PORT);",
        "if (!port) { console.error('no WSP_PORT'); process.exit(2); }",
        "const server = net.createServer((s) => s.end('ok')).listen(port, '127.0.0.1', () => {",
        "  setTimeout(() => server.close(() => process.exit(0)), 1500);",
        "});",
        "server.on('error', (error) => { console.error(error.message); process.exit(1); });",
        "",
      ].join("\n"),
    },
    { STANDIN_SCENARIO: "succeed", ...env },
  );
  const tarballs = mkdtempSync(path.join(tmpdir(), "wsp-tarballs-"));
  try {
    const tarball = packedGreeter(tarballs);
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", tarball], {
      cwd: ws.root,
      env: { ...process.env, npm_config_cache: path.join(tarballs, "cache") },
    });
  } finally {
    rmSync(tarballs, { recursive: true, force: true });
  }
  ws.commitAll("dependencies declared; node_modules installed and ignored");
  writeFileSync(path.join(ws.root, ".env"), "SECRET=base-only\n");
  writeFileSync(path.join(ws.root, ".env.example"), "SECRET=\n");
  return ws;
}

function depsBundle(id: string, action: string, acceptance: string[], extra: Record<string, unknown> = {}) {
  return bundle(id, {
    tool: "deps",
    files_scope: [`src/${id}.txt`],
    files_create: [`src/${id}.txt`],
    acceptance_tests: acceptance,
    static_tools: [],
    metadata: { action },
    ...extra,
  });
}

function addDepsTool(ws: Workspace): void {
  const file = path.join(ws.root, "config", "tool_profiles.json");
  const profiles = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  profiles.deps = {
    kind: "edit",
    command: "{node}",
    args: [DEPS_TOOL, "{ws_id}", "{bundle_file}"],
    timeout_sec: 60,
  };
  writeFileSync(file, JSON.stringify(profiles, null, 2));
  ws.commitAll("deps tool");
}

async function runAll(ws: Workspace, runId: string, jobs = 1): Promise<RunOutput> {
  const io = ws.io();
  await run(undefined, { all: true, runId, jobs: String(jobs), continue: true }, io);
  return JSON.parse(io.stdout) as RunOutput;
}

const REQUIRE_GREETER = `node -e "require('greeter')"`;

describe("worktrees that are ready to work @slow", function () {
  this.timeout(120_000);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("finds the base's node_modules in a new worktree, through an overlay in the sandbox", async () => {
    ws = workspaceWithDependencies([depsBundle("ws-a", "write", [REQUIRE_GREETER])], "share: auto\n");
    addDepsTool(ws);
    const output = await runAll(ws, "r-share");
    assert.equal(output.final_status, "succeeded", JSON.stringify(output));
    const store = await ws.openStore();
    try {
      const ready = (await store.eventsAfter(0, { runId: "r-share", types: ["worktree_ready"] }))[0];
      assert.deepEqual(ready?.payload?.shared, [{ folder: "node_modules", method: "overlay" }]);
    } finally {
      await store.close();
    }
    assert.ok(
      !existsSync(path.join(ws.root, ".worktrees", ".shared", "ws-a")),
      "a finished worktree's share is freed",
    );
  });

  it("keeps an agent's deletion in its own worktree: the base and another workstream still have the module", async () => {
    ws = workspaceWithDependencies(
      [
        depsBundle("ws-deleter", "delete-module", [
          `node -e "process.exit(require('fs').existsSync('node_modules/greeter') ? 1 : 0)"`,
        ]),
        depsBundle("ws-user", "slow-write", [REQUIRE_GREETER]),
      ],
      "share: auto\n",
    );
    addDepsTool(ws);
    const output = await runAll(ws, "r-delete", 2);
    assert.equal(output.final_status, "succeeded", JSON.stringify(output));
    assert.ok(
      existsSync(path.join(ws.root, "node_modules", "greeter", "index.js")),
      "the base lost its module",
    );
    assert.equal(ws.git("status", "--porcelain", "--untracked-files=no"), "", "the base checkout changed");
  });

  it("gives two workstreams' test servers ports of their own", async () => {
    ws = workspaceWithDependencies(
      [
        depsBundle("ws-one", "write", ["node test/serve.js"]),
        depsBundle("ws-two", "write", ["node test/serve.js"]),
      ],
      "ports: 1\n",
    );
    addDepsTool(ws);
    const output = await runAll(ws, "r-ports", 2);
    assert.deepEqual(
      output.workstreams?.map((entry) => [entry.ws_id, entry.final_status]),
      [
        ["ws-one", "done"],
        ["ws-two", "done"],
      ],
    );
  });

  it("copies .env.example but never the base's .env unless named, and runs setup before EDIT", async () => {
    const envAbsent = `node -e "process.exit(require('fs').existsSync('.env') ? 1 : 0)"`;
    const exampleThere = `node -e "process.exit(require('fs').existsSync('.env.example') && require('fs').existsSync('setup-ran') ? 0 : 1)"`;
    ws = workspaceWithDependencies(
      [
        depsBundle("ws-env", "write", [envAbsent, exampleThere]),
        depsBundle(
          "ws-named",
          "write",
          [`node -e "process.exit(require('fs').readFileSync('.env','utf8').includes('base-only') ? 0 : 1)"`],
          { worktree: { copy: [".env"] } },
        ),
      ],
      `copy: [".env.example"]\nsetup: ["node -e \\"require('fs').writeFileSync('setup-ran', '1')\\""]\n`,
    );
    addDepsTool(ws);
    writeFileSync(path.join(ws.root, ".gitignore"), "node_modules/\nstate/\n.env\n.env.example\nsetup-ran\n");
    ws.commitAll("ignore setup's file");
    const output = await runAll(ws, "r-env");
    assert.deepEqual(
      output.workstreams?.map((entry) => [entry.ws_id, entry.final_status]),
      [
        ["ws-env", "done"],
        ["ws-named", "done"],
      ],
      JSON.stringify(output),
    );
  });

  it("copies only files: a named pipe or a link to /dev/zero on the copy list is left behind", async () => {
    const fileThere = `node -e "process.exit(require('fs').readFileSync('local.conf','utf8') === 'conf\\n' ? 0 : 1)"`;
    const othersAbsent = `node -e "process.exit(['pipe.conf','zero.conf'].some((f) => require('fs').existsSync(f)) ? 1 : 0)"`;
    ws = workspaceWithDependencies(
      [depsBundle("ws-copy", "write", [fileThere, othersAbsent])],
      `copy: ["local.conf", "pipe.conf", "zero.conf"]\n`,
    );
    addDepsTool(ws);
    writeFileSync(path.join(ws.root, ".gitignore"), "node_modules/\nstate/\n*.conf\n");
    ws.commitAll("ignore local config");
    writeFileSync(path.join(ws.root, "local.conf"), "conf\n");
    execFileSync("mkfifo", [path.join(ws.root, "pipe.conf")]);
    symlinkSync("/dev/zero", path.join(ws.root, "zero.conf"));
    const output = await runAll(ws, "r-copy");
    assert.deepEqual(
      output.workstreams?.map((entry) => [entry.ws_id, entry.final_status]),
      [["ws-copy", "done"]],
      JSON.stringify(output),
    );
  });

  it("fails a workstream whose setup fails, with the reason setup", async () => {
    ws = workspaceWithDependencies(
      [depsBundle("ws-bad-setup", "write", [REQUIRE_GREETER])],
      `setup: ["node -e \\"process.exit(4)\\""]\n`,
    );
    addDepsTool(ws);
    const io = ws.io();
    assert.equal(await run("ws-bad-setup", { runId: "r-setup" }, io), 1);
    const output = JSON.parse(io.stdout) as RunOutput;
    assert.equal(output.final_status, "failed");
    assert.match(
      output.steps?.find((step) => step.step_name === "setup")?.error_message ?? "",
      /^setup: .*exit code 4/,
    );
  });

  it("falls back to a private copy without the sandbox, and says so", async () => {
    ws = workspaceWithDependencies(
      [
        depsBundle("ws-copy", "delete-module", [
          `node -e "process.exit(require('fs').existsSync('node_modules/greeter') ? 1 : 0)"`,
        ]),
      ],
      "share: [node_modules]\n",
      {
        PIPELINE_SANDBOX: "off",
      },
    );
    addDepsTool(ws);
    const output = await runAll(ws, "r-copy");
    assert.equal(output.final_status, "succeeded", JSON.stringify(output));
    assert.ok(existsSync(path.join(ws.root, "node_modules", "greeter", "index.js")), "the copy was no copy");
    const store = await ws.openStore();
    try {
      const ready = (await store.eventsAfter(0, { runId: "r-copy", types: ["worktree_ready"] }))[0];
      assert.deepEqual(ready?.payload?.shared, [
        { folder: "node_modules", method: "copy", reason: "tools run without the sandbox" },
      ]);
    } finally {
      await store.close();
    }
  });
});
