/**
 * Fuzzing the built CLI with hostile bundles (issue 22): every run of `wsp validate --json` and
 * `wsp run --all --dry-run` on a real temporary repository ends within 10 s with exit 0, 1 or 2,
 * prints JSON when asked to, and names a file and a position for every error. fast-check generates
 * and shrinks the inputs; a failure prints its seed, and FUZZ_SEED=<seed> replays it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { type JsonReport } from "../../src/cli/commands/validate/report";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";

const cli = path.resolve(__dirname, "..", "..", "dist", "cli.js");
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const limitMs = 10_000;

function base(id = "ws-fuzz"): Record<string, unknown> {
  return {
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: ["src/a.js"],
    tasks: ["do it"],
    tool: "scripted",
  };
}

const text = (value: unknown): string => JSON.stringify(value, null, 2);
const bytes = (value: string): Buffer => Buffer.from(value, "utf8");

/** Insert `extra` at a fraction of the way through `body`. */
function insertAt(body: Buffer, fraction: number, extra: Buffer): Buffer {
  const at = Math.floor(fraction * body.length);
  return Buffer.concat([body.subarray(0, at), extra, body.subarray(at)]);
}

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const field = fc.constantFrom("id", "files_scope", "tasks", "depends_on", "gate", "tool", "files_create");
const hostileId = fc.oneof(
  fc.constantFrom("../../etc/passwd", "/etc/passwd", "ws-a/../ws-b", "ws-a\\..\\x", "CON", "ws-\u0000"),
  fc.nat({ max: 20_000 }).map((length) => "ws-" + "a".repeat(length)),
  fc.string({ maxLength: 40 }),
);
const hostileScope = fc.constantFrom(
  "../outside.js",
  "/etc/passwd",
  "src/../../x",
  "C:\\x",
  "~/x",
  "**/*****.js",
  "",
);

/** One hostile bundle file's bytes. */
const hostileBundle: fc.Arbitrary<Buffer> = fc.oneof(
  fc.nat({ max: 400 }).map((cut) => bytes(text(base()).slice(0, cut))), // truncation
  fc.uint8Array({ maxLength: 300 }).map((random) => Buffer.from(random)), // random bytes
  fc
    .tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(([at, random]) => insertAt(bytes(text(base())), at, Buffer.from(random))),
  fc
    .tuple(fc.integer({ min: 100, max: 6000 }), fc.boolean(), fc.boolean())
    .map(([depth, comma, dup]) =>
      bytes(
        `{"id":"ws-d",${dup ? '"id":"ws-e",' : ""}"x":${'{"a":'.repeat(depth)}1${comma ? "," : ""}${"}".repeat(depth + 1)}`,
      ),
    ), // deep nesting, with a trailing comma or a duplicate key
  fc
    .integer({ min: 1_000, max: 2_000_000 })
    .map((length) => bytes(text({ ...base(), tasks: ["x".repeat(length)] }))),
  fc
    .tuple(field, fc.jsonValue({ maxDepth: 3 }))
    .map(([name, value]) => bytes(text({ ...base(), [name]: value }))),
  fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(text(base()))])), // BOM
  fc
    .tuple(
      fraction,
      fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]),
    )
    .map(([at, invalid]) => insertAt(bytes(text(base())), at, Buffer.from(invalid))),
  fc
    .tuple(fraction, fc.integer({ min: 1, max: 4 }))
    .map(([at, count]) => insertAt(bytes(text(base())), at, Buffer.alloc(count))),
  fc
    .constantFrom("id", "tool", "files_scope")
    .map((name) => bytes(text(base()).replace(/\n\}$/, `,\n  "${name}": "again"\n}`))),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => bytes(text(base()).replace(/^\{/, `{\n  "__proto__": ${JSON.stringify(value)},`))),
  hostileId.map((id) => bytes(text(base(id)))),
  fc
    .array(hostileScope, { minLength: 1, maxLength: 3 })
    .map((scope) => bytes(text({ ...base(), files_scope: scope }))),
  fc
    .array(fc.constantFrom(text(base("ws-a")), text(base("ws-b")), "{"), { maxLength: 3 })
    .map((items) => bytes(`[${items.join(",")}]`)),
);

type Special = "directory" | "dangling" | "loop" | "dirlink" | "zero" | "fifo" | "outside" | "inside";
const special = fc.constantFrom<Special>(
  "directory",
  "dangling",
  "loop",
  "dirlink",
  "zero",
  "fifo",
  "outside",
  "inside",
);

/** Writes the workstreams directory afresh: hostile files, special entries, and one good bundle. */
function writeWorkstreams(repo: TempRepo, outside: string, files: Buffer[], specials: Special[]): void {
  const dir = path.join(repo.root, "workstreams");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(path.join(dir, "good.json"), text(base("ws-good")));
  files.forEach((content, index) => writeFileSync(path.join(dir, `f${index}.json`), content));
  specials.forEach((kind, index) => {
    const entry = path.join(dir, `s${index}-${kind}.json`);
    if (kind === "directory") mkdirSync(entry);
    else if (kind === "dangling") symlinkSync("missing.json", entry);
    else if (kind === "loop") symlinkSync(path.basename(entry), entry);
    else if (kind === "dirlink") symlinkSync("..", entry);
    else if (kind === "zero") symlinkSync("/dev/zero", entry);
    else if (kind === "fifo") spawnSync("mkfifo", [entry]);
    else if (kind === "outside") symlinkSync(outside, entry);
    else symlinkSync("good.json", entry);
  });
}

function wsp(
  repo: TempRepo,
  args: string[],
): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync("node", [cli, ...args], {
    cwd: repo.root,
    encoding: "utf8",
    timeout: limitMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PIPELINE_DRY_RUN: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** `refused`: the entries that must each get an error of their own (special entries but in-repo links). */
function checkValidate(repo: TempRepo, refused: string[] = []): void {
  const result = wsp(repo, ["validate", "--json"]);
  assert.ok(result.ms < limitMs, `validate took ${result.ms} ms`);
  assert.ok(
    [0, 1, 2].includes(result.status ?? -1),
    `exit ${result.status}: ${result.stderr.slice(0, 2000)}`,
  );
  if (result.status === 2) return; // a configuration problem, reported on stderr
  const report = JSON.parse(result.stdout) as JsonReport;
  for (const error of report.errors) {
    assert.ok(error.file.length > 0, `an error names a file: ${JSON.stringify(error)}`);
    assert.ok(error.line >= 1 && error.column >= 1, `an error has a position: ${JSON.stringify(error)}`);
  }
  assert.equal(result.status === 1, report.errors.length > 0);
  for (const name of refused)
    assert.ok(
      report.errors.some((error) => error.file === `workstreams/${name}` && error.type === "file"),
      `${name} is named as not read`,
    );
}

function checkRun(repo: TempRepo): void {
  const result = wsp(repo, ["run", "--all", "--dry-run"]);
  assert.ok(result.ms < limitMs, `run took ${result.ms} ms`);
  assert.ok(
    [0, 1, 2].includes(result.status ?? -1),
    `exit ${result.status}: ${result.stderr.slice(0, 2000)}`,
  );
  assert.doesNotMatch(result.stderr, /internal error/);
}

describe("fuzz: hostile bundles through the built CLI @slow", function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let outside: { root: string; remove(): void };

  before(function () {
    if (process.platform === "win32") this.skip();
    repo = createTempRepo({
      "src/a.js": "x\n",
      "config/tool_profiles.json": JSON.stringify({ scripted: { kind: "edit", command: "true", args: [] } }),
    });
    repo.commitAll("fuzz base");
    outside = createTempDir();
    writeFileSync(path.join(outside.root, "elsewhere.json"), text(base("ws-elsewhere")));
  });
  after(() => {
    repo?.remove();
    outside?.remove();
  });

  it("validate --json: one hostile file at a time (40 runs)", () => {
    fc.assert(
      fc.property(hostileBundle, (file) => {
        writeWorkstreams(repo, outside.root, [file], []);
        checkValidate(repo);
      }),
      { numRuns: 40, seed, endOnFailure: true },
    );
  });

  it("validate --json: several hostile files and special entries together (15 runs)", () => {
    fc.assert(
      fc.property(
        fc.array(hostileBundle, { maxLength: 4 }),
        fc.array(special, { maxLength: 4 }),
        (files, specials) => {
          writeWorkstreams(repo, outside.root, files, specials);
          checkValidate(repo);
        },
      ),
      { numRuns: 15, seed, endOnFailure: true },
    );
  });

  it("run --all --dry-run never crashes nor hangs (12 runs)", () => {
    fc.assert(
      fc.property(
        fc.array(hostileBundle, { maxLength: 2 }),
        fc.array(special, { maxLength: 2 }),
        (files, specials) => {
          writeWorkstreams(repo, outside.root, files, specials);
          checkRun(repo);
        },
      ),
      { numRuns: 12, seed, endOnFailure: true },
    );
  });
});
