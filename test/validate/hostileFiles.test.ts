import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validate } from "../../src/cli/commands/validate";
import { type JsonReport } from "../../src/cli/commands/validate/report";
import { captureIO } from "../../src/cli/io";
import { MAX_BUNDLE_BYTES } from "../../src/node/bundles/readBundleFiles";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "cli.js");
const profiles = JSON.stringify({ scripted: {} });

function bundle(id: string): string {
  const value = {
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: [`src/${id}.js`],
    tasks: [],
    tool: "scripted",
  };
  return JSON.stringify(value, null, 2) + "\n";
}

async function report(repo: TempRepo): Promise<{ code: number; json: JsonReport }> {
  const io = captureIO(repo.root);
  const code = await validate({ json: true }, io);
  return { code, json: JSON.parse(io.stdout) as JsonReport };
}

describe("wsp validate: odd entries in workstreams/ @slow", () => {
  let repo: TempRepo;
  let outside: { root: string; remove(): void };
  afterEach(() => {
    repo?.remove();
    outside?.remove();
  });

  it("names every entry it does not read, reads the rest, and never opens a FIFO or a device", async () => {
    repo = createTempRepo({ "config/tool_profiles.json": profiles, "workstreams/ok.json": bundle("ws-ok") });
    outside = createTempDir();
    writeFileSync(path.join(outside.root, "elsewhere.json"), bundle("ws-elsewhere"));
    const dir = path.join(repo.root, "workstreams");
    mkdirSync(path.join(dir, "x.json"));
    symlinkSync("missing.json", path.join(dir, "dangling.json"));
    symlinkSync("loop.json", path.join(dir, "loop.json"));
    symlinkSync("x.json", path.join(dir, "dirlink.json"));
    symlinkSync("/dev/zero", path.join(dir, "zero.json"));
    symlinkSync(path.join(outside.root, "elsewhere.json"), path.join(dir, "outside.json"));
    symlinkSync("ok.json", path.join(dir, "inside.json"));
    spawnSync("mkfifo", [path.join(dir, "p.json")]);
    writeFileSync(path.join(dir, "huge.json"), Buffer.alloc(MAX_BUNDLE_BYTES + 1, 0x20));
    const { code, json } = await report(repo);
    assert.equal(code, 1);
    const problems = Object.fromEntries(
      json.errors.filter((e) => e.type === "file").map((e) => [e.file, [e.line, e.column, e.message]]),
    );
    const at = (name: string): string => {
      const found = problems[`workstreams/${name}`];
      assert.ok(found, `a diagnostic for ${name}`);
      assert.deepEqual(found.slice(0, 2), [1, 1]);
      return found[2] as string;
    };
    assert.match(at("x.json"), /is a directory, not a file/);
    assert.match(at("dangling.json"), /target does not exist/);
    assert.match(at("loop.json"), /loops/);
    assert.match(at("dirlink.json"), /symbolic link to a directory/);
    assert.match(at("zero.json"), /outside the repository/);
    assert.match(at("outside.json"), /outside the repository; not read/);
    assert.match(at("p.json"), /named pipe/);
    assert.match(at("huge.json"), /larger than 4 MiB/);
    assert.equal(Object.keys(problems).length, 8);
    // A link inside the repository is read like the file it points at (so its id is a duplicate).
    assert.ok(json.errors.some((e) => e.file === "workstreams/inside.json" && e.type === "duplicate"));
  });

  it("reports invalid UTF-8 at its line and column, and still checks the rest of the file", async () => {
    repo = createTempRepo({ "config/tool_profiles.json": profiles });
    const [before, after] = bundle("ws-a").replace('"tasks": []', '"tasks": ["cafXX"]').split("XX");
    const text = Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]);
    repo.write({ "workstreams/a.json": "" });
    writeFileSync(path.join(repo.root, "workstreams", "a.json"), text);
    const { code, json } = await report(repo);
    assert.equal(code, 1);
    const [error, ...rest] = json.errors;
    assert.deepEqual(rest, [], JSON.stringify(rest));
    assert.deepEqual([error.type, error.line, error.column], ["parse", 9, 17]);
    assert.match(error.message, /not valid UTF-8/);
  });

  it("reads 300 bundles with only 256 file descriptors", function () {
    if (process.platform === "win32") this.skip();
    const files: Record<string, string> = { "config/tool_profiles.json": profiles };
    for (let index = 0; index < 300; index++) files[`workstreams/b${index}.json`] = bundle(`ws-b${index}`);
    repo = createTempRepo(files);
    const result = spawnSync("bash", ["-c", `ulimit -n 256 && exec node "${cli}" validate --json`], {
      cwd: repo.root,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as JsonReport).bundles_checked, 300);
  });
});
