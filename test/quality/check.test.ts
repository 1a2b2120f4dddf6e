import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { check } from "../../src/cli/commands/check";
import { captureIO } from "../../src/cli/io";
import { silentLogger } from "../../src/core/logger";
import { BUILTIN_PLUGINS, runCheck } from "../../src/node/check";
import { createTempDir } from "../support/tempRepo";
import { pathWithTools, pathWithoutTools, read, standinsDir } from "./support";

const onlyRuff = BUILTIN_PLUGINS.filter((plugin) => plugin.id === "ruff");
const formatters = BUILTIN_PLUGINS.filter((plugin) => plugin.id === "prettier" || plugin.id === "ruff");

describe("wsp check @slow", function () {
  // Real tsc, eslint and prettier processes; slow on a busy two-core machine.
  this.timeout(120_000);
  let dir: { root: string; remove(): void };
  beforeEach(() => {
    dir = createTempDir("wsp-check-");
  });
  afterEach(() => dir.remove());

  const write = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir.root, name), content);
  };

  it("runs the real tools and prints one line per file; exit 1 on errors", async () => {
    write({
      "good.ts": "export const answer: number = 42;\n",
      "type.ts": 'export const x: number = "a";\n',
      "lint.js": "var unused = 1;\n",
      "s.sh": "#!/bin/sh\necho $1\nif [ x ]\n",
      "bad.json": '{ "a": 1, }\n',
      "c.yaml": "---\nkey: value   \n",
      "r.md": "# T\ntext\n",
      "eslint.config.mjs": 'export default [{ rules: { "no-unused-vars": "error", "no-var": "warn" } }];\n',
    });
    const io = captureIO(dir.root, { PATH: pathWithTools() });
    const code = await check(["good.ts", "type.ts", "lint.js", "s.sh", "bad.json", "c.yaml", "r.md"], {}, io);
    assert.equal(code, 1);
    assert.equal(
      io.stdout,
      [
        "good.ts: PASSED | errors=0 warnings=0",
        "type.ts: FAILED | errors=1 warnings=0",
        "lint.js: FAILED | errors=1 warnings=1",
        "s.sh: FAILED | errors=3 warnings=0",
        "bad.json: FAILED | errors=3 warnings=0",
        "c.yaml: FAILED | errors=2 warnings=0",
        "r.md: FAILED | errors=2 warnings=0",
        "",
      ].join("\n"),
    );
    assert.match(io.stderr, /type\.ts:1:14: error TS2322: .* \(tsc\)/);
    assert.match(io.stderr, /lint\.js:1:5: error no-unused-vars: .* \(eslint\)/);
    assert.match(io.stderr, /s\.sh:3:1: error SC1073/);
    assert.match(io.stderr, /bad\.json:1:11: error PropertyNameExpected: .* \(json-syntax\)/);
    assert.match(io.stderr, /c\.yaml:2:11: error trailing-spaces/);
    assert.match(io.stderr, /r\.md:1: error MD022/);
  });

  it("reports a missing tool as SKIPPED, never PASSED, and exits 0 only because nothing failed", async () => {
    write({ "a.sh": "#!/bin/sh\necho hi\n", "notes.xyz": "no checker for this\n", "ok.json": "{}\n" });
    const empty = createTempDir("wsp-nobin-");
    try {
      const io = captureIO(dir.root, { PATH: pathWithoutTools(empty.root) });
      const code = await check(["a.sh", "notes.xyz", "ok.json"], { json: true }, io);
      const report = JSON.parse(io.stdout) as {
        files: { path: string; status: string; skipped: string[]; ran: string[] }[];
      };
      assert.deepEqual(
        report.files.map((file) => [file.path, file.status, file.skipped, file.ran]),
        [
          ["a.sh", "SKIPPED", ["shellcheck"], []],
          ["notes.xyz", "SKIPPED", [], []],
          // The built-in JSON check ran, but prettier is missing: still not PASSED.
          ["ok.json", "SKIPPED", ["prettier"], ["json-syntax"]],
        ],
      );
      assert.equal(code, 0);
      const text = captureIO(dir.root, { PATH: pathWithoutTools(empty.root) });
      await check(["a.sh"], {}, text);
      assert.equal(text.stdout, "a.sh: SKIPPED | errors=0 warnings=0\n");
      assert.match(text.stderr, /shellcheck is not installed/);
    } finally {
      empty.remove();
    }
  });

  it("skips unchanged files through the content-hash cache and re-checks changed ones", async () => {
    write({ "a.py": "import os\nprint(1)\n", "b.py": "print(2)\n" });
    const log = path.join(dir.root, "ruff.log");
    const cachePath = path.join(dir.root, "state", "check-cache.json");
    // A private copy of the ruff stand-in, so the test can "upgrade" it.
    const bin = path.join(dir.root, "bin");
    mkdirSync(bin);
    const ruff = path.join(bin, "ruff");
    copyFileSync(path.join(standinsDir, "ruff"), ruff);
    const env = { PATH: `${bin}${path.delimiter}${pathWithTools()}`, RUFF_STANDIN_LOG: log };
    const run = () => runCheck({ files: ["a.py", "b.py"], cwd: dir.root, env, cachePath, plugins: onlyRuff });

    const first = await run();
    assert.deepEqual(
      first.files.map((file) => [file.status, file.cached]),
      [
        ["FAILED", false],
        ["PASSED", false],
      ],
    );
    assert.equal(first.files[0].issues[0].code, "F401");
    assert.equal(read(log), "version\ncheck a.py b.py\n");

    const second = await run();
    assert.deepEqual(
      second.files.map((file) => [file.status, file.cached]),
      [
        ["FAILED", true],
        ["PASSED", true],
      ],
    );
    assert.equal(second.files[0].errors, 1, "a cached failure still fails");
    assert.equal(
      read(log),
      "version\ncheck a.py b.py\n",
      "nothing ran, not even --version, for unchanged files",
    );

    write({ "b.py": "print(3)\n" });
    await run();
    assert.equal(
      read(log),
      "version\ncheck a.py b.py\nversion\ncheck b.py\n",
      "only the changed file is re-checked",
    );

    // A changed toolchain (ruff upgraded: another executable) re-checks everything.
    writeFileSync(ruff, `${readFileSync(ruff, "utf8")}// upgraded to 0.7.0\n`);
    await run();
    assert.equal(read(log).split("\n").at(-2), "check a.py b.py");

    // A corrupt cache counts as empty: everything is checked again, and the cache is rewritten whole.
    writeFileSync(cachePath, '{"version":1,"entries":{"trunc');
    const afterCorruption = await run();
    assert.deepEqual(
      afterCorruption.files.map((file) => file.cached),
      [false, false],
    );
    assert.equal((JSON.parse(readFileSync(cachePath, "utf8")) as { version: number }).version, 1);
  });

  it("refuses missing files and directories with a clear message", async () => {
    await assert.rejects(runCheck({ files: ["nope.py"], cwd: dir.root }), /check: no such file: nope\.py/);
    await assert.rejects(
      runCheck({ files: ["."], cwd: dir.root }),
      /check: \. is a directory; name the files/,
    );
  });

  it("refuses a named pipe in a file's place, naming it, instead of waiting on it forever", async () => {
    write({ "ok.py": "print(1)\n" });
    execFileSync("mkfifo", [path.join(dir.root, "pipe.py")]);
    await assert.rejects(
      runCheck({ files: ["ok.py", "pipe.py"], cwd: dir.root, plugins: onlyRuff }),
      /check: pipe\.py is a named pipe \(FIFO\), not a file that can be checked/,
    );
    // A tool's config file replaced by a pipe is named too; nothing waits on it.
    execFileSync("mkfifo", [path.join(dir.root, "ruff.toml")]);
    await assert.rejects(
      runCheck({ files: ["ok.py"], cwd: dir.root, plugins: onlyRuff }),
      /ruff\.toml: is not a regular file; not read/,
    );
  });

  it("checks every file, with a warning, when the cache is not a regular file", async () => {
    write({ "ok.py": "print(1)\n" });
    const cachePath = path.join(dir.root, "check-cache.json");
    execFileSync("mkfifo", [cachePath]);
    const warnings: string[] = [];
    const run = () =>
      runCheck({
        files: ["ok.py"],
        cwd: dir.root,
        env: { PATH: pathWithTools() },
        cachePath,
        plugins: onlyRuff,
        logger: { ...silentLogger, warn: (message) => warnings.push(message) },
      });
    const report = await run();
    assert.deepEqual(
      report.files.map((file) => [file.status, file.cached]),
      [["PASSED", false]],
    );
    assert.match(warnings.join("\n"), /the cache .*check-cache\.json cannot be used \(not-regular\)/);
    // The run's cache replaced the pipe: the next run takes the file from it.
    const again = await run();
    assert.deepEqual(
      again.files.map((file) => file.cached),
      [true],
    );
  });

  it("treats a crashing tool as a failure, not a pass", async () => {
    write({ "a.py": "print(1)\n" });
    const report = await runCheck({
      files: ["a.py"],
      cwd: dir.root,
      env: { PATH: pathWithTools(), RUFF_STANDIN_CRASH: "1" },
      plugins: onlyRuff,
    });
    assert.equal(report.files[0].status, "FAILED");
    assert.match(report.files[0].issues[0].message, /ruff exited 2: error: Failed to parse ruff\.toml/);
  });

  it("never modifies files without --fix; --fix runs the formatters' fix modes", async () => {
    const ugly = "export const a:number=1\n";
    write({ "u.ts": ugly, "a.py": "import os\nprint(1)\n" });
    const env = { PATH: pathWithTools() };
    const before = await runCheck({ files: ["u.ts"], cwd: dir.root, env, plugins: formatters });
    assert.equal(before.files[0].status, "FAILED");
    assert.equal(read(path.join(dir.root, "u.ts")), ugly);

    const fixed = await runCheck({
      files: ["u.ts", "a.py"],
      cwd: dir.root,
      env,
      fix: true,
      plugins: formatters,
    });
    assert.equal(read(path.join(dir.root, "u.ts")), "export const a: number = 1;\n");
    assert.equal(read(path.join(dir.root, "a.py")), "print(1)\n");
    assert.deepEqual(
      fixed.files.map((file) => file.status),
      ["PASSED", "PASSED"],
    );
  });

  it("runs real mypy on Python files", async () => {
    write({ "m.py": "def f(x: int) -> str:\n    return x\n" });
    const report = await runCheck({ files: ["m.py"], cwd: dir.root, env: { PATH: pathWithTools() } });
    assert.equal(report.files[0].status, "FAILED");
    assert.deepEqual(
      report.files[0].issues.map((issue) => [issue.tool, issue.line, issue.column, issue.code]),
      [["mypy", 2, 12, "return-value"]],
    );
  });
});
