// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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

/** Only the git door (src/node/git) runs git; everything else calls its functions. */
const simpleGitOutsideDoor = {
  name: "simple-git",
  message: "Run git through the git door: add a function to src/node/git and call it.",
};

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
  {
    // The CLI and node adapters never load the editor API; only src/extension may.
    files: ["src/node/**/*.ts", "src/cli/**/*.ts", "src/shared/**/*.ts", "src/webview/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vscode", message: "Only src/extension may import vscode." }, simpleGitOutsideDoor],
        },
      ],
    },
  },
  {
    // The git door itself (src/node/git) is where git runs, simple-git included.
    files: ["src/node/git/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "vscode", message: "Only src/extension may import vscode." }] },
      ],
    },
  },
  {
    files: ["src/extension/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [simpleGitOutsideDoor] }] },
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
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
