"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { readFileSync } = require("node:fs");
const path = require("node:path");

test("the README documents usage of the stock API [IDX-INV-DOCS-01]", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  assert.match(readme, /^## Usage$/m);
  assert.match(readme, /addStock/);
  assert.match(readme, /removeStock/);
});
