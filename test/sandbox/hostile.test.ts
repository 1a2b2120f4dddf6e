/**
 * Every escape the adversarial review found, tried by a hostile edit tool of ours
 * (fixtures/hostileTool.cjs, test code), once with the sandbox required and once, for the git
 * tampering, with the sandbox off so only the tamper guard stands between the tool and the base.
 * After each attempt: the base checkout and the repository's control files are as they were, no
 * process of the tool survives, nothing reached main, and the run either failed naming the attempt
 * or the write never happened and the run recorded the denial.
 */
import { strict as assert } from "node:assert";
import { createHash, randomUUID } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { bundle, createWorkspace, REPO, type Workspace } from "../orchestrator/support";

const HOSTILE_TOOL = path.join(__dirname, "fixtures", "hostileTool.cjs");

interface RunOutput {
  final_status: string;
  steps: { step_name: string; error_message: string | null }[];
}

/** What must never change: the base's files, the repository's control files and main. */
function fingerprint(ws: Workspace): string {
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(ws.root, full);
      if (
        [".worktrees", "state", ".git/objects", ".git/logs", ".git/worktrees", ".git/index"].includes(
          relative,
        )
      )
        continue;
      if (relative.startsWith(".git/refs/heads/workstream")) continue;
      if (entry.isDirectory()) walk(full);
      else
        hash
          .update(`${relative}\0`)
          // A named pipe a tool left is counted by its kind: reading it would wait for ever.
          .update(entry.isSymbolicLink() ? "link" : entry.isFile() ? readFileSync(full) : "not a file");
    }
  };
  walk(ws.root);
  // main's loose ref, read as a file: after an attack on git's own files git itself may never answer.
  const main = path.join(ws.root, ".git", "refs", "heads", "main");
  hash.update(existsSync(main) ? readFileSync(main) : ws.git("rev-parse", "main"));
  return hash.digest("hex");
}

/** Live processes whose command line carries `marker`. */
function survivors(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const state = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.[0];
      if (cmdline.includes(marker) && state !== "Z") found.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

interface Attempt {
  attack: string;
  ws: Workspace;
  marker: string;
  code: number;
  output: RunOutput;
  events: { type: string; payload: Record<string, unknown> | null }[];
  before: string;
  after: string;
  target: string;
}

async function attempt(
  attack: string,
  sandbox: "required" | "off",
  profileSandbox?: Record<string, unknown>,
): Promise<Attempt> {
  const marker = `hostile-${randomUUID()}`;
  const target = path.join(tmpdir(), `${marker}.txt`);
  const home = path.join(tmpdir(), `${marker}-home`);
  mkdirSync(path.join(home, ".ssh"), { recursive: true });
  writeFileSync(path.join(home, ".ssh", "id_rsa"), `PRIVATE KEY ${marker}\n`);
  // Outside the repository, outside /tmp and the home: a place the sandbox shows read-only.
  const outside = path.join(REPO, "test-artifacts", `${marker}-outside`);
  mkdirSync(outside, { recursive: true });
  const ws = createWorkspace(
    [
      bundle("ws-h", {
        tool: "hostile",
        files_scope: ["src/math.js", "src/leak.txt", "linkdir/**"],
        static_tools: [],
      }),
    ],
    { ".gitignore": ".env\nstate/\n" },
    {
      PIPELINE_SANDBOX: sandbox,
      HOSTILE_TARGET: target,
      HOSTILE_HOME: home,
      HOME: home,
      HOSTILE_SECRET_KEY: `KEY ${marker}`,
    },
  );
  writeFileSync(path.join(ws.root, ".env"), `SECRET=${marker}\n`);
  symlinkSync(outside, path.join(ws.root, "linkdir"));
  const profiles = JSON.parse(
    readFileSync(path.join(ws.root, "config", "tool_profiles.json"), "utf8"),
  ) as Record<string, unknown>;
  profiles.hostile = {
    kind: "edit",
    command: "{node}",
    args: [HOSTILE_TOOL, attack, marker, path.join(ws.root, "README.md")],
    timeout_sec: 30,
    ...(profileSandbox ? { sandbox: profileSandbox } : {}),
  };
  writeFileSync(path.join(ws.root, "config", "tool_profiles.json"), JSON.stringify(profiles, null, 2));
  ws.commitAll("hostile profile and a link out of the repository");
  // wsp hides its worktrees folder from git status on its first worktree, before any tool runs.
  appendFileSync(path.join(ws.root, ".git", "info", "exclude"), "/.worktrees/\n");
  const before = fingerprint(ws);
  const io = ws.io();
  const code = await run("ws-h", { runId: `r-${attack}` }, io);
  // The tool's detached grandchildren get the same 2 s the issue allows after a cancel.
  const deadline = Date.now() + 2000;
  while (survivors(marker).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const store = await ws.openStore();
  const events = (await store.eventsAfter(0, { runId: `r-${attack}` })).map((event) => ({
    type: event.type,
    payload: event.payload,
  }));
  await store.close();
  return {
    attack,
    ws,
    marker,
    code,
    output: JSON.parse(io.stdout) as RunOutput,
    events,
    before,
    after: fingerprint(ws),
    target,
  };
}

function cleanUp(result: Attempt): void {
  result.ws.remove();
  for (const suffix of [".txt", "-home"])
    rmSync(path.join(tmpdir(), `${result.marker}${suffix}`), { recursive: true, force: true });
  rmSync(path.join(REPO, "test-artifacts", `${result.marker}-outside`), { recursive: true, force: true });
}

/** The common verdict: nothing of the base changed, no process survived, and the run said what happened. */
function assertContained(result: Attempt, expect: "tamper" | "denied" | "either" | "contained"): void {
  assert.equal(result.after, result.before, `${result.attack}: the base or .git changed`);
  assert.deepEqual(survivors(result.marker), [], `${result.attack}: a process of the tool survived`);
  assert.ok(!existsSync(result.target), `${result.attack}: the write outside landed`);
  const failedOnTamper =
    result.output.final_status === "failed" &&
    result.output.steps.some((step) => /tamper/.test(step.error_message ?? ""));
  const denied = result.events.some((event) => event.type === "sandbox_denied");
  if (expect === "tamper")
    assert.ok(
      failedOnTamper,
      `${result.attack}: not failed as tamper: ${JSON.stringify(result.output.steps)}`,
    );
  else if (expect === "denied") assert.ok(denied, `${result.attack}: the denial was not recorded`);
  else if (expect === "either")
    assert.ok(failedOnTamper || denied, `${result.attack}: neither failed nor recorded a denial`);
  if (result.output.final_status === "done") {
    const leaked = result.ws.git("show", "workstream/ws-h:src/math.js");
    assert.ok(!leaked.includes(result.marker));
  }
}

describe("a hostile tool in the sandbox @slow", function () {
  this.timeout(90_000);
  before(function () {
    if (process.platform !== "linux") this.skip();
    assert.ok(existsSync(path.join(REPO, "node_modules")), "run npm ci first");
  });

  for (const attack of [
    "write-parent",
    "write-absolute",
    "write-symlink",
    "hook",
    "update-ref",
    "commit",
    "gitfile",
    "info-exclude",
    "config",
  ])
    it(`blocks ${attack}`, async () => {
      const result = await attempt(attack, "required");
      try {
        assertContained(result, attack === "gitfile" ? "either" : "denied");
      } finally {
        cleanUp(result);
      }
    });

  for (const attack of ["read-ssh", "read-env", "read-key-env"])
    it(`keeps ${attack} from reading the secret`, async () => {
      const result = await attempt(attack, "required");
      try {
        assertContained(result, "contained");
        if (result.output.final_status === "done") {
          const files = result.ws.git("ls-tree", "-r", "--name-only", "workstream/ws-h");
          if (files.includes("src/leak.txt"))
            assert.ok(!result.ws.git("show", "workstream/ws-h:src/leak.txt").includes(result.marker));
        }
      } finally {
        cleanUp(result);
      }
    });

  it("keeps a write to /tmp in the tool's private /tmp", async () => {
    const result = await attempt("write-tmp", "required");
    try {
      assertContained(result, "contained");
      assert.match(
        JSON.stringify(result.events.find((event) => event.type === "workstream_start")?.payload),
        /bubblewrap/,
        "the run records that its tools were sandboxed",
      );
    } finally {
      cleanUp(result);
    }
  });

  it("leaves no process of a setsid, double-forking, SIGTERM-ignoring tool", async () => {
    const result = await attempt("setsid", "required");
    try {
      assert.deepEqual(survivors(result.marker), []);
      assert.equal(result.after, result.before);
    } finally {
      cleanUp(result);
    }
  });
});

describe("a profile that requires the sandbox in a run whose config turns it off @slow", function () {
  this.timeout(90_000);
  it("still sandboxes that tool: its write to the base is denied, not run bare", async () => {
    const result = await attempt("write-parent", "off", { mode: "required" });
    try {
      assertContained(result, "denied");
      assert.equal(result.output.final_status, "done", JSON.stringify(result.output.steps));
    } finally {
      cleanUp(result);
    }
  });
});

describe("the tamper guard with the sandbox off @slow", function () {
  this.timeout(90_000);
  for (const attack of [
    "write-parent",
    "hook",
    "hook-fifo",
    "packed-refs-fifo",
    "index-fifo",
    "update-ref",
    "commit",
    "gitfile",
    "info-exclude",
    "config",
  ])
    it(`fails the workstream when the tool tries ${attack}`, async () => {
      const result = await attempt(attack, "off");
      try {
        assert.equal(result.output.final_status, "failed");
        assert.ok(
          result.output.steps.some((step) => /tamper/.test(step.error_message ?? "")),
          JSON.stringify(result.output.steps),
        );
        assert.ok(!result.output.steps.some((step) => step.step_name === "commit"), "wsp committed anyway");
      } finally {
        cleanUp(result);
      }
    });
});
