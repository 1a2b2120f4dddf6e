import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { type Bundle, type BundleCircuitBreaker, type ScriptedEdit } from "../../src/core/bundle";
import { validateWorkspaceDir } from "../../src/node/bundles";
import { GENERATED_VALIDATORS, modulePath, validatorSource } from "../../scripts/schema/generateValidators";

const root = path.resolve(__dirname, "..", "..");
const schemaPath = path.join(root, "schema", "workstream.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as {
  definitions: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>;
};
const corpus = path.resolve(root, "..", "..", "shared", "corpus");
const corpusDir = (name: string): string =>
  [path.join(corpus, name), path.resolve(root, "..", "shared", "corpus", name)].find((dir) =>
    existsSync(dir),
  ) ?? path.join(corpus, name);

// Every key of the TS types, spelled out; the `satisfies` clauses make tsc fail when a field is
// added to or removed from the type without updating this list (and so the schema test below).
const bundleKeys = {
  id: true,
  title: false,
  openspec_change: true,
  ccpm_issue: true,
  gate: true,
  files_scope: true,
  files_create: false,
  tasks: true,
  acceptance_tests: false,
  depends_on: false,
  tool: true,
  capability: false,
  static_tools: false,
  runtime_tools: false,
  circuit_breaker: false,
  scripted_edits: false,
  metadata: false,
  network: false,
  worktree: false,
  review: false,
} as const satisfies Record<keyof Bundle, boolean>;
const editKeys = {
  path: true,
  write: false,
  find: false,
  replace: false,
  append: false,
  delete: false,
} as const satisfies Record<keyof ScriptedEdit, boolean>;
const breakerKeys = [
  "max_attempts",
  "max_fix_attempts",
  "max_error_repeats",
  "oscillation_threshold",
  "oscillation_window",
  "max_wall_clock_sec",
  "max_cost_usd",
  "per_step",
] as const satisfies readonly (keyof BundleCircuitBreaker)[];

function walkFields(
  node: unknown,
  at: string,
  visit: (at: string, field: Record<string, unknown>) => void,
): void {
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.properties && typeof record.properties === "object")
    for (const [key, field] of Object.entries(record.properties as Record<string, Record<string, unknown>>)) {
      visit(`${at}.${key}`, field);
      walkFields(field, `${at}.${key}`, visit);
    }
  for (const key of ["items", "definitions"]) if (record[key]) walkFields(record[key], `${at}.${key}`, visit);
  if (record.definitions)
    for (const [key, value] of Object.entries(record.definitions as Record<string, unknown>))
      walkFields(value, `${at}.${key}`, visit);
}

describe("the bundle schema", () => {
  it("is valid draft-07 and compiles", () => {
    const ajv = new Ajv({ strict: false });
    assert.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
    ajv.compile(schema);
  });

  it("has its validation code generated from the current schema (run `npm run generate` after a change)", () => {
    for (const validator of GENERATED_VALIDATORS)
      assert.equal(
        readFileSync(modulePath(validator), "utf8"),
        validatorSource(validator),
        `${validator.module} is out of date with ${validator.schema}`,
      );
  });

  it("has the TS type's fields exactly, with the same required ones", () => {
    const bundle = schema.definitions.bundle;
    assert.deepEqual(Object.keys(bundle.properties).sort(), Object.keys(bundleKeys).sort());
    const required = Object.entries(bundleKeys)
      .filter(([, isRequired]) => isRequired)
      .map(([key]) => key);
    assert.deepEqual([...bundle.required!].sort(), required.sort());
    const edit = schema.definitions.scriptedEdit;
    assert.deepEqual(Object.keys(edit.properties).sort(), Object.keys(editKeys).sort());
    const breaker = bundle.properties.circuit_breaker.properties as Record<string, unknown>;
    assert.deepEqual(Object.keys(breaker).sort(), [...breakerKeys].sort());
  });

  it("gives every field a markdownDescription", () => {
    const missing: string[] = [];
    walkFields(schema, "$", (at, field) => {
      if (typeof field.markdownDescription !== "string" || field.markdownDescription === "") missing.push(at);
    });
    assert.deepEqual(missing, []);
  });

  it("matches the reviewed snapshot (set UPDATE_SNAPSHOTS=1 to accept a deliberate change)", () => {
    const snapshotPath = path.join(__dirname, "fixtures", "schema.snapshot.json");
    if (process.env.UPDATE_SNAPSHOTS === "1")
      writeFileSync(snapshotPath, JSON.stringify(schema, null, 2) + "\n");
    assert.ok(existsSync(snapshotPath), "no schema snapshot; run with UPDATE_SNAPSHOTS=1 once");
    const snapshot = JSON.parse(readFileSync(snapshotPath, "utf8")) as unknown;
    assert.deepEqual(schema, snapshot, "schema/workstream.schema.json drifted from its snapshot");
  });
});

describe("the seed corpora", () => {
  for (const name of ["seed-1b88bf5a", "seed-c6930ceb"]) {
    it(`${name}: every bundle parses and passes the shape check`, async () => {
      const dir = corpusDir(name);
      const files = readdirSync(dir).filter((file) => file.endsWith(".json"));
      const { diagnostics, bundles } = await validateWorkspaceDir(dir);
      const shape = diagnostics.filter((d) => ["parse", "schema", "scope"].includes(d.type));
      assert.deepEqual(shape, []);
      const expected = name === "seed-1b88bf5a" ? 21 : 27;
      assert.equal(bundles.length, expected);
      assert.equal(files.length, name === "seed-1b88bf5a" ? 19 : 25);
      assert.deepEqual(
        diagnostics.filter((d) => ["duplicate", "dependency", "cycle"].includes(d.type)),
        [],
      );
    });
  }

  it("seed-c6930ceb: reports the exact-path overlaps, such as README.md claimed twice", async () => {
    const { diagnostics } = await validateWorkspaceDir(corpusDir("seed-c6930ceb"));
    const readme = diagnostics.filter((d) => d.type === "overlap" && d.message.includes('"README.md"'));
    assert.deepEqual(
      readme.map((d) => [path.basename(d.file), d.id, d.severity]),
      [
        ["ws-20-final-documentation-mapping.json", "ws-20-final-documentation-mapping", "error"],
        ["ws-test-001.json", "ws-test-001", "error"],
      ],
    );
    const ordered = diagnostics.filter((d) => d.type === "overlap" && d.severity === "info");
    assert.ok(ordered.some((d) => d.id === "ws-19-test-suite-updates" && d.message.includes('"pytest.ini"')));
  });
});
