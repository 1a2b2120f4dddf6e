/**
 * The layer rules in eslint.config.mjs bite: each deliberately bad import below, written into a temp
 * copy of the project, must fail lint with the rule that guards it. A rule that silently stops
 * resolving imports (a resolver change, a moved folder) would otherwise pass everything.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const projectRoot = path.resolve(__dirname, "../..");

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Files written into the copy, each with the rule that must reject it. */
const badFiles: { file: string; text: string; rule: string }[] = [
  {
    file: "src/core/badCoreImportsNode.ts",
    text: 'export { workstreamBranch } from "../node/process/execCapture";\n',
    rule: "import-x/no-restricted-paths",
  },
  {
    file: "src/core/badCoreImportsCli.ts",
    text: 'export * from "../cli/io";\n',
    rule: "import-x/no-restricted-paths",
  },
  {
    file: "src/node/badNodeImportsCli.ts",
    text: 'export * from "../cli/io";\n',
    rule: "import-x/no-restricted-paths",
  },
  {
    file: "src/node/badNodeImportsExtension.ts",
    text: 'export * from "../extension/logger";\n',
    rule: "import-x/no-restricted-paths",
  },
  {
    file: "src/extension/badExtensionImportsCli.ts",
    text: 'export * from "../cli/io";\n',
    rule: "import-x/no-restricted-paths",
  },
  {
    file: "src/core/badCycleA.ts",
    text: 'import { b } from "./badCycleB";\nexport const a = (): number => b() + 1;\n',
    rule: "import-x/no-cycle",
  },
  {
    file: "src/core/badCycleB.ts",
    text: 'import { a } from "./badCycleA";\nexport const b = (): number => a() - 1;\n',
    rule: "import-x/no-cycle",
  },
  {
    file: "src/node/badSpawnOutsideProcessDoor.ts",
    text: 'import { spawn } from "node:child_process";\nexport const start = () => spawn("true");\n',
    rule: "no-restricted-imports",
  },
  {
    file: "src/extension/badExecaOutsideProcessDoor.ts",
    text: 'export { execa } from "execa";\n',
    rule: "no-restricted-imports",
  },
];

function lint(cwd: string, files: string[]): Promise<{ filePath: string; messages: LintMessage[] }[]> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(cwd, "node_modules", ".bin", "eslint"),
      ["--format", "json", ...files],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // eslint exits 1 when it finds problems, 2 when it could not run.
        if (error && error.code !== 1) reject(new Error(`eslint failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as { filePath: string; messages: LintMessage[] }[]);
      },
    );
  });
}

describe("layer rules @slow", function () {
  this.timeout(180_000);
  let copy: string;

  before(() => {
    copy = mkdtempSync(path.join(tmpdir(), "wsp-layers-"));
    for (const entry of ["src", "eslint.config.mjs", "tsconfig.json", "package.json"])
      cpSync(path.join(projectRoot, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(projectRoot, "node_modules"), path.join(copy, "node_modules"));
    for (const { file, text } of badFiles) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      writeFileSync(path.join(copy, file), text);
    }
  });

  after(() => rmSync(copy, { recursive: true, force: true }));

  it("rejects every bad import with the rule that guards it, and passes the real tree", async () => {
    const results = await lint(copy, [...badFiles.map(({ file }) => file), "src/core/errors.ts"]);
    const rulesByFile = new Map(
      results.map((result) => [
        path.relative(copy, result.filePath),
        new Set(result.messages.map((message) => message.ruleId)),
      ]),
    );
    for (const { file, rule } of badFiles)
      assert.ok(
        rulesByFile.get(file)?.has(rule),
        `${file} should fail ${rule}; got ${[...(rulesByFile.get(file) ?? [])].join(", ")}`,
      );
    assert.deepEqual([...(rulesByFile.get("src/core/errors.ts") ?? [])], []);
  });
});
