/** The built-in plugins: what TypeScript, Python and shell repositories use, plus in-process syntax checks. */
import { type CheckPlugin, type CommandSpec } from "./types";
import { parseEslint } from "./parsers/eslint";
import { parseMarkdownlint } from "./parsers/markdownlint";
import { parseMypy } from "./parsers/mypy";
import { parsePrettier } from "./parsers/prettier";
import { parseRuff } from "./parsers/ruff";
import { parseShellcheck } from "./parsers/shellcheck";
import { checkJsonSyntax, checkYamlSyntax } from "./parsers/syntax";
import { parseTsc } from "./parsers/tsc";
import { parseYamllint } from "./parsers/yamllint";

const run = (command: string, ...args: string[]): CommandSpec => ({ command, args });
const TS_FILES = ["*.ts", "*.tsx", "*.mts", "*.cts"];
const JS_FILES = ["*.js", "*.jsx", "*.mjs", "*.cjs"];

export const BUILTIN_PLUGINS: readonly CheckPlugin[] = [
  {
    kind: "in-process",
    id: "json-syntax",
    description: "JSON syntax (comments allowed in tsconfig and .vscode files)",
    patterns: ["*.json", "*.jsonc"],
    requires: [],
    check: checkJsonSyntax,
  },
  {
    kind: "in-process",
    id: "yaml-syntax",
    description: "YAML syntax, every document",
    patterns: ["*.yaml", "*.yml"],
    requires: [],
    check: checkYamlSyntax,
  },
  {
    kind: "tool",
    id: "prettier",
    description: "prettier --check (formatting)",
    patterns: [...TS_FILES, ...JS_FILES, "*.json", "*.css", "*.scss", "*.html", "*.md", "*.yaml", "*.yml"],
    requires: ["json-syntax", "yaml-syntax"],
    detect: run("prettier", "--version"),
    configFiles: [
      ".prettierrc",
      ".prettierrc.json",
      ".prettierrc.yaml",
      ".prettierrc.mjs",
      "prettier.config.mjs",
      ".prettierignore",
    ],
    command: (files) => run("prettier", "--check", ...files),
    fix: (files) => [run("prettier", "--write", ...files)],
    // 2 is a file prettier cannot parse, which the parser reports as a syntax error.
    successCodes: [0, 1, 2],
    parse: parsePrettier,
  },
  {
    kind: "tool",
    id: "tsc",
    description: "TypeScript type check (the project's tsconfig.json when present)",
    patterns: TS_FILES,
    requires: [],
    detect: run("tsc", "--version"),
    configFiles: ["tsconfig.json"],
    command: (files, { configFile }) =>
      configFile
        ? run("tsc", "--noEmit", "--pretty", "false", "-p", configFile)
        : run("tsc", "--noEmit", "--pretty", "false", ...files),
    successCodes: [0, 1, 2],
    parse: parseTsc,
    stoppedEarly: (issues) => issues.some((issue) => issue.category === "syntax"),
  },
  {
    kind: "tool",
    id: "eslint",
    description: "ESLint with the project's flat config",
    patterns: [...TS_FILES, ...JS_FILES],
    requires: ["prettier"],
    detect: run("eslint", "--version"),
    configFiles: [
      "eslint.config.js",
      "eslint.config.mjs",
      "eslint.config.cjs",
      "eslint.config.ts",
      "eslint.config.mts",
    ],
    requiresConfig: true,
    command: (files) => run("eslint", "--format", "json", "--no-warn-ignored", ...files),
    fix: (files) => [run("eslint", "--fix", "--no-warn-ignored", ...files)],
    successCodes: [0, 1],
    parse: parseEslint,
  },
  {
    kind: "tool",
    id: "ruff",
    description: "ruff check (Python lint)",
    patterns: ["*.py", "*.pyi"],
    requires: [],
    detect: run("ruff", "--version"),
    configFiles: ["ruff.toml", ".ruff.toml", "pyproject.toml"],
    command: (files) => run("ruff", "check", "--output-format", "json", "--no-fix", ...files),
    fix: (files) => [run("ruff", "check", "--fix", ...files), run("ruff", "format", ...files)],
    successCodes: [0, 1],
    parse: parseRuff,
  },
  {
    kind: "tool",
    id: "mypy",
    description: "mypy (Python types)",
    patterns: ["*.py", "*.pyi"],
    requires: ["ruff"],
    detect: run("mypy", "--version"),
    configFiles: ["mypy.ini", ".mypy.ini", "setup.cfg", "pyproject.toml"],
    command: (files) =>
      run(
        "mypy",
        "--show-column-numbers",
        "--show-error-codes",
        "--no-error-summary",
        "--no-pretty",
        "--no-color-output",
        ...files,
      ),
    successCodes: [0, 1],
    parse: parseMypy,
  },
  {
    kind: "tool",
    id: "shellcheck",
    description: "ShellCheck (shell scripts)",
    patterns: ["*.sh", "*.bash"],
    requires: [],
    detect: run("shellcheck", "--version"),
    configFiles: [".shellcheckrc"],
    command: (files) => run("shellcheck", "-f", "json1", ...files),
    successCodes: [0, 1],
    parse: parseShellcheck,
  },
  {
    kind: "tool",
    id: "yamllint",
    description: "yamllint (YAML style and syntax)",
    patterns: ["*.yaml", "*.yml"],
    requires: ["yaml-syntax", "prettier"],
    detect: run("yamllint", "--version"),
    configFiles: [".yamllint", ".yamllint.yaml", ".yamllint.yml"],
    command: (files) => run("yamllint", "-f", "parsable", ...files),
    successCodes: [0, 1],
    parse: parseYamllint,
  },
  {
    kind: "tool",
    id: "markdownlint",
    description: "markdownlint (markdownlint-cli)",
    patterns: ["*.md", "*.markdown"],
    requires: ["prettier"],
    detect: run("markdownlint", "--version"),
    configFiles: [".markdownlint.json", ".markdownlint.jsonc", ".markdownlint.yaml", ".markdownlint.yml"],
    command: (files) => run("markdownlint", "--json", ...files),
    fix: (files) => [run("markdownlint", "--fix", ...files)],
    successCodes: [0, 1],
    parse: parseMarkdownlint,
  },
];
