/** Parsers on outputs captured from the real tools (ruff's is its documented JSON shape). */
import assert from "node:assert/strict";
import { parseEslint } from "./parsers/eslint";
import { parseMarkdownlint } from "./parsers/markdownlint";
import { parseMypy } from "./parsers/mypy";
import { parsePrettier } from "./parsers/prettier";
import { parseRuff } from "./parsers/ruff";
import { parseShellcheck } from "./parsers/shellcheck";
import { checkJsonSyntax, checkYamlSyntax } from "./parsers/syntax";
import { parseTsc } from "./parsers/tsc";
import { parseYamllint } from "./parsers/yamllint";

const out = (stdout: string, stderr = "", exitCode = 1) => ({ stdout, stderr, exitCode });

describe("check parsers", () => {
  it("tsc: type and syntax diagnostics with continuation lines", () => {
    const issues = parseTsc(
      out(
        "type.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n" +
          "bad.ts(2,9): error TS1109: Expression expected.\n" +
          "x.ts(3,1): error TS2345: Argument of type 'A' is not assignable.\n  Property 'b' is missing.\n",
        "",
        2,
      ),
    );
    assert.deepEqual(issues[0], {
      tool: "tsc",
      path: "type.ts",
      line: 1,
      column: 7,
      code: "TS2322",
      category: "type",
      severity: "error",
      message: "Type 'string' is not assignable to type 'number'.",
    });
    assert.equal(issues[1].category, "syntax");
    assert.equal(issues[2].message, "Argument of type 'A' is not assignable.\nProperty 'b' is missing.");
  });

  it("eslint: severities, fatal parse errors, ignored-file notices dropped", () => {
    const json = JSON.stringify([
      {
        filePath: "/tmp/cap/e.js",
        messages: [
          {
            ruleId: "no-var",
            severity: 1,
            message: "Unexpected var, use let or const instead.",
            line: 1,
            column: 1,
          },
          {
            ruleId: "no-unused-vars",
            severity: 2,
            message: "'a' is assigned a value but never used.",
            line: 1,
            column: 5,
          },
        ],
        errorCount: 1,
        warningCount: 1,
      },
      {
        filePath: "/tmp/cap/e2.js",
        messages: [
          {
            ruleId: null,
            fatal: true,
            severity: 2,
            message: "Parsing error: The keyword 'let' is reserved",
            line: 1,
            column: 1,
          },
          { ruleId: null, severity: 1, message: "File ignored because of a matching ignore pattern." },
        ],
      },
    ]);
    const issues = parseEslint(out(json));
    assert.equal(issues.length, 3);
    assert.deepEqual(
      issues.map((issue) => [issue.path, issue.code, issue.severity, issue.category]),
      [
        ["/tmp/cap/e.js", "no-var", "warning", "style"],
        ["/tmp/cap/e.js", "no-unused-vars", "error", "style"],
        ["/tmp/cap/e2.js", "parse-error", "error", "syntax"],
      ],
    );
    assert.deepEqual(parseEslint(out("Oops! Something went wrong!", "", 2)), []);
  });

  it("prettier --check: unformatted files and syntax errors, summaries skipped", () => {
    const issues = parsePrettier(
      out(
        "Checking formatting...\nError occurred when checking code style in the above file.\n",
        "[warn] ugly.ts\n[error] bad.yaml: SyntaxError: Flow sequence in block collection must be sufficiently indented and end with a ] (3:1)\n" +
          "[error]   1 | a: 1\n[error] > 3 |\n[error]     | ^\n[warn] r.md\n[warn] Code style issues found in 2 files. Run Prettier with --write to fix.\n",
        2,
      ),
    );
    assert.deepEqual(
      issues.map((issue) => [issue.path, issue.line, issue.column, issue.code, issue.category]),
      [
        ["ugly.ts", 0, 0, "unformatted", "formatting"],
        ["bad.yaml", 3, 1, "SyntaxError", "syntax"],
        ["r.md", 0, 0, "unformatted", "formatting"],
      ],
    );
  });

  it("ruff: JSON findings; a null code is a syntax error, S codes security", () => {
    const json = JSON.stringify([
      {
        code: "F401",
        filename: "/r/a.py",
        location: { row: 1, column: 8 },
        message: "`os` imported but unused",
      },
      {
        code: null,
        filename: "/r/b.py",
        location: { row: 2, column: 5 },
        message: "SyntaxError: Expected ')'",
      },
      {
        code: "S101",
        filename: "/r/c.py",
        location: { row: 3, column: 1 },
        message: "Use of `assert` detected",
      },
    ]);
    assert.deepEqual(
      parseRuff(out(json)).map((issue) => [issue.path, issue.line, issue.column, issue.code, issue.category]),
      [
        ["/r/a.py", 1, 8, "F401", "style"],
        ["/r/b.py", 2, 5, "syntax-error", "syntax"],
        ["/r/c.py", 3, 1, "S101", "security"],
      ],
    );
  });

  it("mypy: errors with codes, notes as info", () => {
    const issues = parseMypy(
      out(
        'm.py:2:12: error: Incompatible return value type (got "int", expected "str")  [return-value]\n' +
          'm.py:4:3: error: Argument 1 to "f" has incompatible type "str"; expected "int"  [arg-type]\n' +
          "m.py:5: note: See https://mypy.rtfd.io\n" +
          "s.py:1:7: error: invalid syntax  [syntax]\n",
      ),
    );
    assert.equal(issues.length, 4);
    assert.deepEqual(issues[0], {
      tool: "mypy",
      path: "m.py",
      line: 2,
      column: 12,
      code: "return-value",
      category: "type",
      severity: "error",
      message: 'Incompatible return value type (got "int", expected "str")',
    });
    assert.deepEqual([issues[2].severity, issues[2].column], ["info", 0]);
    assert.equal(issues[3].category, "syntax");
  });

  it("shellcheck json1: levels and SC1xxx parse errors", () => {
    const json =
      '{"comments":[{"file":"s.sh","line":3,"endLine":3,"column":1,"endColumn":1,"level":"error","code":1073,"message":"Couldn\'t parse this if expression. Fix to allow more checks.","fix":null},' +
      '{"file":"s.sh","line":2,"endLine":2,"column":6,"endColumn":8,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":null}]}';
    const issues = parseShellcheck(out(json));
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.column, issue.code, issue.category, issue.severity]),
      [
        [3, 1, "SC1073", "syntax", "error"],
        [2, 6, "SC2086", "other", "info"],
      ],
    );
  });

  it("yamllint parsable: rule names, syntax rule", () => {
    const issues = parseYamllint(
      out(
        'bad.yaml:1:1: [warning] missing document start "---" (document-start)\n' +
          "bad.yaml:2:5: [error] too many spaces after colon (colons)\n" +
          "bad.yaml:3:1: [error] syntax error: expected ',' or ']', but got '<stream end>' (syntax)\n",
      ),
    );
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.column, issue.code, issue.severity, issue.category]),
      [
        [1, 1, "document-start", "warning", "style"],
        [2, 5, "colons", "error", "style"],
        [3, 1, "syntax", "error", "syntax"],
      ],
    );
  });

  it("markdownlint --json: findings on stderr, columns from errorRange", () => {
    const stderr = JSON.stringify([
      {
        fileName: "r.md",
        lineNumber: 1,
        ruleNames: ["MD022", "blanks-around-headings"],
        ruleDescription: "Headings should be surrounded by blank lines",
        errorDetail: "Expected: 1; Actual: 0; Below",
        errorContext: "# T",
        errorRange: null,
        severity: "error",
      },
      {
        fileName: "r.md",
        lineNumber: 3,
        ruleNames: ["MD019", "no-multiple-space-atx"],
        ruleDescription: "Multiple spaces after hash on atx style heading",
        errorDetail: null,
        errorRange: [4, 1],
        severity: "error",
      },
    ]);
    const issues = parseMarkdownlint(out("", stderr));
    assert.deepEqual(
      issues.map((issue) => [issue.line, issue.column, issue.code, issue.message]),
      [
        [
          1,
          0,
          "MD022/blanks-around-headings",
          "Headings should be surrounded by blank lines [Expected: 1; Actual: 0; Below]",
        ],
        [3, 4, "MD019/no-multiple-space-atx", "Multiple spaces after hash on atx style heading"],
      ],
    );
    assert.deepEqual(parseMarkdownlint(out("", "", 0)), []);
  });

  it("JSON syntax in process, with positions; comments allowed only in JSONC files", () => {
    const issues = checkJsonSyntax("a.json", '{\n  "a": 1,\n  "b": \n}\n');
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0].line, issues[0].column, issues[0].code], [4, 1, "ValueExpected"]);
    assert.equal(checkJsonSyntax("a.json", '{ // no\n "a": 1 }').length, 1);
    assert.deepEqual(checkJsonSyntax("tsconfig.json", '{ // yes\n "a": 1, }'), []);
    assert.deepEqual(checkJsonSyntax("ok.json", '{"a": [1, 2]}'), []);
  });

  it("YAML syntax in process, every document, with positions", () => {
    const issues = checkYamlSyntax("bad.yaml", "a: 1\nb:   [1,2\n");
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0].line, issues[0].column, issues[0].category], [3, 1, "syntax"]);
    assert.equal(checkYamlSyntax("two.yaml", "a: 1\n---\nb: : c\n").length, 1);
    assert.deepEqual(checkYamlSyntax("ok.yaml", "a: 1\n---\nb: [1, 2]\n"), []);
  });
});
