import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { fillArguments, judgeToolRun, normalizeProfile, parseToolProfiles } from "./profiles";
import { StepBreakers, parseBreakerConfig, resolveBudgets, resolveStepLimits } from "./breakers";
import { extractFailureExcerpt, normalizeErrorText } from "./failure";
import { outOfScopePaths, prepareScope, scopeMatcher, scopesOverlap } from "./scope";
import { buildDag, planNext, type NodeStatus } from "./schedule";
import { extractUsage } from "./usage";
import { renderFixPrompt } from "./prompts";
import { type Bundle } from "../bundle/types";

describe("orchestrator core", () => {
  describe("tool profiles", () => {
    it("reads the original's kebab-case keys and type names", () => {
      const profile = normalizeProfile("pytest", {
        type: "test",
        command: "pytest",
        args: ["-q"],
        "timeout-sec": 12,
        "working-dir": "{repo_root}",
        "success-codes": [0, 5],
      });
      assert.equal(profile.kind, "runtime");
      assert.equal(profile.timeout_sec, 12);
      assert.equal(profile.working_dir, "{repo_root}");
      assert.deepEqual(profile.success_codes, [0, 5]);
    });

    it("loads every shipped profile, including the contract's ids", () => {
      const profiles = parseToolProfiles(JSON.parse(readFileSync("config/tool_profiles.json", "utf8")));
      for (const id of [
        "scripted",
        "node-test",
        "node-check",
        "aider",
        "claude-code",
        "codex",
        "gemini",
        "qwen-code",
        "opencode",
        "tsc",
        "eslint",
        "ruff",
        "mypy",
        "pytest",
        "npm-test",
      ])
        assert.ok(profiles.has(id), id);
      assert.ok(!profiles.has("$schema"));
      assert.equal(profiles.get("claude-code")!.kind, "edit");
    });

    it("fills placeholders into argv entries, expanding a whole-list argument and rejecting typos", () => {
      const args = fillArguments(
        ["-p", "{prompt}", "{files}", "x={ws_id}"],
        { prompt: "a b; rm -rf /", files: ["a.js", "b.js"], ws_id: "w1" },
        "t",
      );
      assert.deepEqual(args, ["-p", "a b; rm -rf /", "a.js", "b.js", "x=w1"]);
      assert.throws(() => fillArguments(["{promtp}"], {}, "profile x"), /unknown placeholder \{promtp\}/);
    });

    it("judges runs by exit code, failure patterns and success patterns", () => {
      const profile = normalizeProfile("c", {
        kind: "edit",
        command: "c",
        failure_patterns: ['"is_error"\\s*:\\s*true'],
      });
      const base = { exitCode: 0, timedOut: false, cancelled: false, stderr: "" };
      assert.equal(judgeToolRun(profile, { ...base, stdout: '{"is_error": false}' }).success, true);
      assert.match(judgeToolRun(profile, { ...base, stdout: '{"is_error": true}' }).reason!, /matched/);
      assert.match(judgeToolRun(profile, { ...base, exitCode: 3, stdout: "" }).reason!, /exit code 3/);
      assert.match(judgeToolRun(profile, { ...base, timedOut: true, stdout: "" }).reason!, /timed out/);
    });

    it("extracts tokens and cost from text output with the patterns a profile names (aider)", () => {
      const shipped = parseToolProfiles(
        JSON.parse(readFileSync("config/tool_profiles.json", "utf8")),
        "config/tool_profiles.json",
      );
      const aider = shipped.get("aider")?.usage;
      assert.ok(aider, "the shipped aider profile reads its usage line");
      const output =
        "Tokens: 1.8k sent, 120 received. Cost: $0.0072 message, $0.0144 session.\nTokens: 2k sent, 30 received. Cost: $0.0010 message, $0.0154 session.\n";
      assert.deepEqual(extractUsage(output, aider), {
        input_tokens: 3800,
        output_tokens: 150,
        cost_usd: 0.0082,
      });
      assert.deepEqual(extractUsage("no usage here", aider), {});
      assert.throws(
        () =>
          parseToolProfiles(
            { t: { kind: "edit", command: "t", usage: { format: "text", cost_usd: "Cost: \\$[0-9.]+" } } },
            "p",
          ),
        /needs a group that captures the number/,
      );
    });

    it("extracts tokens and cost from JSON and JSONL output", () => {
      const claude = extractUsage(
        '{"total_cost_usd":0.0018,"usage":{"input_tokens":300,"output_tokens":60}}',
        {
          format: "json",
          input_tokens: "usage.input_tokens",
          output_tokens: "usage.output_tokens",
          cost_usd: "total_cost_usd",
        },
      );
      assert.deepEqual(claude, { input_tokens: 300, output_tokens: 60, cost_usd: 0.0018 });
      const codex = extractUsage(
        '{"type":"turn.started"}\n{"type":"turn.completed","usage":{"input_tokens":5,"output_tokens":2}}\n{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":1}}\n',
        {
          format: "jsonl",
          input_tokens: "usage.input_tokens",
          output_tokens: "usage.output_tokens",
        },
      );
      assert.deepEqual(codex, { input_tokens: 6, output_tokens: 3 });
      const gemini = extractUsage(
        '{"stats":{"models":{"m1":{"tokens":{"prompt":7}},"m2":{"tokens":{"prompt":3}}}}}',
        { format: "json", input_tokens: "stats.models.*.tokens.prompt" },
      );
      assert.deepEqual(gemini, { input_tokens: 10 });
    });
  });

  describe("circuit breakers", () => {
    const config = parseBreakerConfig({
      defaults: { max_attempts_per_step: 5, "max-fix-attempts-per-step": 4, max_wall_clock_sec: 100 },
      per_step: { runtime: { max_attempts_per_step: 2 } },
      per_bundle: {
        "ws-b": { max_fix_attempts_per_step: 1, per_step: { static: { oscillation_threshold: 3 } } },
      },
    });

    it("merges defaults, per_step, per_bundle and the bundle's own keys in that order", () => {
      assert.equal(resolveStepLimits(config, "ws-a", "static").max_attempts_per_step, 5);
      assert.equal(resolveStepLimits(config, "ws-a", "static").max_fix_attempts_per_step, 4);
      assert.equal(resolveStepLimits(config, "ws-a", "runtime").max_attempts_per_step, 2);
      assert.equal(resolveStepLimits(config, "ws-b", "static").max_fix_attempts_per_step, 1);
      assert.equal(resolveStepLimits(config, "ws-b", "static").oscillation_threshold, 3);
      assert.equal(
        resolveStepLimits(config, "ws-b", "static", { max_fix_attempts: 7 }).max_fix_attempts_per_step,
        7,
      );
      assert.equal(resolveBudgets(config, "ws-a", { max_cost_usd: 0.5 }).max_cost_usd, 0.5);
      assert.equal(resolveBudgets(config, "ws-a").max_wall_clock_sec, 100);
    });

    it("rejects a bad value naming the key", () => {
      assert.throws(
        () => parseBreakerConfig({ defaults: { max_attempts_per_step: "3" } }),
        /defaults\.max_attempts_per_step/,
      );
      assert.throws(() => parseBreakerConfig({ per_step: { lint: {} } }), /per_step\.lint: unknown step/);
    });

    const limits = {
      max_attempts_per_step: 9,
      max_fix_attempts_per_step: 9,
      max_attempts_per_error_signature: 9,
      oscillation_window: 4,
      oscillation_threshold: 2,
      fix_enabled: true,
    };
    const budgets = { max_wall_clock_sec: 1000, max_cost_usd: 1 };
    const failAgain = (b: StepBreakers, signature: string, diffHash: string, elapsed = 0, cost = 0) => {
      b.recordAttempt();
      const trip = b.afterFailure({ signature, diffHash }, elapsed, cost);
      if (!trip) b.recordFix();
      return trip;
    };

    it("trips on the same error signature", () => {
      const b = new StepBreakers("runtime", { ...limits, max_attempts_per_error_signature: 2 }, budgets);
      assert.equal(failAgain(b, "s1", "d1"), undefined);
      assert.equal(failAgain(b, "s1", "d2")?.breaker, "error_signature");
    });

    it("trips when the worktree diff returns to an earlier state", () => {
      const b = new StepBreakers("static", limits, budgets);
      assert.equal(failAgain(b, "s1", "A"), undefined);
      assert.equal(failAgain(b, "s2", "B"), undefined);
      const trip = failAgain(b, "s3", "A");
      assert.equal(trip?.breaker, "diff_oscillation");
      assert.match(trip.reason, /earlier state/);
    });

    it("trips on attempts, fix attempts, wall clock and cost", () => {
      const attempts = new StepBreakers("static", { ...limits, max_attempts_per_step: 1 }, budgets);
      assert.equal(failAgain(attempts, "s", "a")?.breaker, "max_attempts");
      const fixes = new StepBreakers("static", { ...limits, max_fix_attempts_per_step: 1 }, budgets);
      assert.equal(failAgain(fixes, "s1", "a"), undefined);
      assert.equal(failAgain(fixes, "s2", "b")?.breaker, "max_fix_attempts");
      assert.equal(
        failAgain(new StepBreakers("static", limits, budgets), "s", "a", 1000)?.breaker,
        "wall_clock",
      );
      assert.equal(failAgain(new StepBreakers("static", limits, budgets), "s", "a", 0, 1.5)?.breaker, "cost");
    });
  });

  describe("failure excerpts and signatures", () => {
    it("keeps the error lines and the tail, not the head", () => {
      const head = Array.from({ length: 200 }, (_, i) => `progress line ${i}`);
      const output = [
        "BANNER v1.2.3",
        ...head.slice(0, 100),
        "AssertionError: expected 3 to equal 4",
        ...head.slice(100),
        "tail: 1 failing",
      ].join("\n");
      const excerpt = extractFailureExcerpt(output, { tailLines: 5 });
      assert.ok(!excerpt.includes("BANNER"));
      assert.ok(excerpt.includes("AssertionError: expected 3 to equal 4"));
      assert.ok(excerpt.endsWith("tail: 1 failing"));
      assert.ok(excerpt.includes("progress line 199"));
    });

    it("normalises paths, line numbers, timestamps, durations and hex ids away", () => {
      const a = normalizeErrorText(
        "2026-11-24T14:00:01Z /tmp/wsp-abc/src/math.js:12:5 AssertionError at 0x7ffd1234 commit 1a2b3c4d5e (41.2ms)",
      );
      const b = normalizeErrorText(
        "2026-11-25T09:30:00.5Z /home/x/y/src/math.js:99:1 AssertionError at 0x0000aaaa commit 9f8e7d6c5b (3ms)",
      );
      assert.equal(a, b);
      assert.notEqual(a, normalizeErrorText("TypeError at /tmp/x.js:1:1"));
    });

    it("puts the failure into the FIX prompt", () => {
      const bundle = {
        id: "ws-1",
        openspec_change: "c",
        ccpm_issue: 1,
        gate: 1,
        files_scope: ["src/a.js"],
        files_create: [],
        tasks: ["t"],
        acceptance_tests: ["node --test"],
        depends_on: [],
        tool: "scripted",
      } satisfies Bundle;
      const prompt = renderFixPrompt({
        runId: "r1",
        bundle,
        worktreePath: "/w",
        step: "runtime",
        fixAttempt: 1,
        failures: [{ command: "node --test", excerpt: "not ok 1 - adds" }],
      });
      assert.match(prompt, /FIX attempt 1 for workstream ws-1 \(run r1\), step RUNTIME/);
      assert.match(prompt, /not ok 1 - adds/);
      assert.match(prompt, /- src\/a\.js/);
    });
  });

  describe("scope", () => {
    it("reports changed paths outside files_scope and files_create", () => {
      assert.deepEqual(
        outOfScopePaths(
          ["src/a.js", "docs/x.md", "README.md", "lib/new.js"],
          ["src/**", "docs/"],
          ["lib/new.js"],
        ),
        ["README.md"],
      );
      assert.deepEqual(outOfScopePaths(["src/deep/a.js"], ["src"], []), []);
    });

    it("detects overlapping scopes conservatively", () => {
      assert.equal(scopesOverlap(["src/a.js"], ["src/b.js"]), false);
      assert.equal(scopesOverlap(["src/**"], ["src/b.js"]), true);
      assert.equal(scopesOverlap(["docs/"], ["docs/x.md"]), true);
      assert.equal(scopesOverlap(["src/*.js"], ["src/lib/**"]), true);
      assert.equal(scopesOverlap(["src/a/**"], ["src/b/**"]), false);
    });

    it("answers for plain paths by lookup exactly as the glob matcher does", () => {
      const entries = ["src/a.js", "docs", "lib/deep/x.py", "./notes.md", "src/a.js"];
      const prepared = prepareScope(entries);
      const matcher = scopeMatcher(entries);
      for (const path of [
        "src/a.js",
        "src/a.jsx",
        "src/a.js/inner",
        "docs",
        "docs/guide.md",
        "docsy/x.md",
        "lib/deep/x.py",
        "lib/deep",
        "notes.md",
        "./notes.md",
        "src\\a.js",
        "",
      ])
        assert.equal(prepared.matches(path), matcher(path), path);
      assert.equal(scopesOverlap(["docs"], ["docs/x.md", "src/b.js"]), true);
      assert.equal(scopesOverlap(["src/a.js", "src/a.js"], ["src/b.js"]), false);
    });
  });

  describe("planNext", () => {
    const node = (id: string, dependsOn: string[] = [], scope: string[] = [`${id}.js`]) => ({
      id,
      dependsOn,
      scope,
    });

    it("starts only what has its dependencies done, at most N at a time, long chains first", () => {
      const dag = buildDag([node("a"), node("b", ["a"]), node("c"), node("d"), node("e")]);
      const plan = planNext(dag, { status: new Map(), maxParallel: 2 });
      assert.deepEqual(plan.actions, [
        { type: "start", id: "a" },
        { type: "start", id: "c" },
      ]);
      assert.equal(plan.finished, false);
    });

    it("after a cancel, names the status a dependency really ends in, not 'blocked'", () => {
      const dag = buildDag([node("ws-pricing"), node("ws-checkout", ["ws-pricing"])]);
      const plan = planNext(dag, {
        status: new Map(),
        maxParallel: 1,
        stopStarting: { reason: "the run was cancelled" },
        blockedStatus: "cancelled",
      });
      assert.deepEqual(plan.actions, [
        { type: "block", id: "ws-pricing", reason: "the run was cancelled" },
        { type: "block", id: "ws-checkout", reason: "dependency ws-pricing is cancelled" },
      ]);
    });

    it("blocks the dependents of a failure (fail closed) and finishes", () => {
      const dag = buildDag([
        node("top"),
        node("left", ["top"]),
        node("right", ["top"]),
        node("bottom", ["left", "right"]),
      ]);
      const status = new Map<string, NodeStatus>([
        ["top", "done"],
        ["left", "failed"],
        ["right", "done"],
      ]);
      const plan = planNext(dag, { status, maxParallel: 4 });
      assert.deepEqual(plan.actions, [{ type: "block", id: "bottom", reason: "dependency left is failed" }]);
      assert.equal(plan.finished, true);
    });

    it("never runs overlapping scopes at once", () => {
      const dag = buildDag([
        node("x", [], ["src/**"]),
        node("y", [], ["src/y.js"]),
        node("z", [], ["lib/z.js"]),
      ]);
      const first = planNext(dag, { status: new Map(), maxParallel: 3 });
      assert.deepEqual(
        first.actions.map((a) => a.id),
        ["x", "z"],
      );
      const second = planNext(dag, {
        status: new Map<string, NodeStatus>([
          ["x", "done"],
          ["z", "running"],
        ]),
        maxParallel: 3,
      });
      assert.deepEqual(second.actions, [{ type: "start", id: "y" }]);
    });

    it("frees a finishing workstream's slot, yet holds its dependents and overlapping scopes back", () => {
      const dag = buildDag([
        node("a", [], ["src/**"]),
        node("b", ["a"]),
        node("c", [], ["src/c.js"]),
        node("d"),
      ]);
      const plan = planNext(dag, {
        status: new Map<string, NodeStatus>([["a", "finishing"]]),
        maxParallel: 1,
      });
      assert.deepEqual(plan.actions, [{ type: "start", id: "d" }]);
      assert.equal(plan.finished, false);
      const after = planNext(dag, {
        status: new Map<string, NodeStatus>([
          ["a", "finishing"],
          ["d", "done"],
        ]),
        maxParallel: 1,
      });
      assert.deepEqual(after, { actions: [], finished: false });
    });

    it("blocks on missing external dependencies and rejects cycles", () => {
      const dag = buildDag([node("a", ["gone"]), node("b", ["done-before"])], new Set(["done-before"]));
      const plan = planNext(dag, { status: new Map(), maxParallel: 2 });
      assert.deepEqual(plan.actions, [
        { type: "block", id: "a", reason: "dependency gone is not in this run and has not been done" },
        { type: "start", id: "b" },
      ]);
      assert.throws(() => buildDag([node("p", ["q"]), node("q", ["p"])]), /cycle among: p, q/);
    });
  });
});
