// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

const nodeBuiltins = [
  "fs",
  "fs/promises",
  "path",
  "os",
  "child_process",
  "crypto",
  "http",
  "https",
  "net",
  "stream",
  "util",
  "url",
  "events",
  "worker_threads",
  "process",
  "readline",
  "zlib",
  "assert",
];

/** Each door to the outside is one folder: processes start only in the process door, git runs only in the git door. */
const editorApi = { name: "vscode", message: "Only src/extension may import vscode." };
const processModules = ["child_process", "node:child_process", "execa"].map((name) => ({
  name,
  message: "Processes start only through the process door, src/node/process.",
}));
const gitModules = [{ name: "simple-git", message: "git runs only through the git door, src/node/git." }];
// The folders that open a door; only they may import the module behind it.
const processDoor = ["src/node/process/**/*.ts"];
const gitDoor = ["src/node/git/**/*.ts"];

/** no-restricted-imports for every layer above core, one block per file set (a later block would replace it). */
function outsideLayerRules() {
  const block = (files, ignores, paths) => ({
    files,
    ignores: [...ignores, "src/core/**"],
    rules: { "no-restricted-imports": ["error", { paths }] },
  });
  const everywhere = ["src/**/*.ts"];
  return [
    block(
      everywhere,
      ["src/extension/**", ...processDoor, ...gitDoor],
      [editorApi, ...processModules, ...gitModules],
    ),
    block(["src/extension/**/*.ts"], [], [...processModules, ...gitModules]),
    block(processDoor, [], [editorApi, ...gitModules]),
    block(gitDoor, [], [editorApi, ...processModules]),
  ];
}

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      ".vscode-test/**",
      ".tools/**",
      "**/*.vsix",
      "out/**",
      "state/**",
      ".worktrees/**",
      "media/**/*.js",
      "test-artifacts/**",
      // Validation code ajv generates from the schemas (scripts/schema/generateValidators.ts).
      "src/core/*/generated/**",
      // The sample project the example workstreams edit: plain CommonJS, checked by its own tests.
      "example/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs", "scripts/*.mjs", "scripts/*/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // src/core is pure logic: no editor API, no file system, no processes. Ports come in as interfaces.
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "vscode", message: "src/core must not depend on the editor; put this in src/extension." },
            ...nodeBuiltins.flatMap((name) => [
              { name, message: "src/core is pure: take a port from src/node instead." },
              { name: `node:${name}`, message: "src/core is pure: take a port from src/node instead." },
            ]),
            { name: "execa", message: "src/core runs no processes." },
            { name: "simple-git", message: "src/core runs no git; use the Git port." },
            { name: "sql.js", message: "src/core has no storage; use the store port." },
          ],
        },
      ],
    },
  },
  ...outsideLayerRules(),
  {
    // The layers' directions (docs/architecture.md): core is imported by everyone and imports none of
    // us; node adapts the outside world for cli and extension; the editor spawns the CLI, never imports it.
    files: ["src/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
    },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./src/core",
              from: ["./src/node", "./src/cli", "./src/extension", "./src/webview", "./src/shared"],
              message: "src/core is pure: it takes ports and imports no other layer.",
            },
            {
              target: "./src/shared",
              from: ["./src/node", "./src/cli", "./src/extension", "./src/webview"],
              message: "src/shared is what the editor and its webview both read: plain code only.",
            },
            {
              target: "./src/webview",
              from: ["./src/node", "./src/cli", "./src/extension"],
              message: "The webview runs in the browser: it may use only src/shared and src/core.",
            },
            {
              target: "./src/node",
              from: ["./src/cli", "./src/extension", "./src/webview"],
              message: "src/node adapts the outside world for the layers above; it never imports them.",
            },
            {
              target: "./src/extension",
              from: ["./src/cli"],
              message: "The editor never imports the CLI: it spawns dist/cli.js.",
            },
          ],
        },
      ],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // Plain JavaScript (build and test glue) is linted without type information.
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        require: "readonly",
        module: "writable",
        setInterval: "readonly",
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
