"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { createInventory, stockReport } = require("../src/index.js");

test("stockReport lists value and reorder flags, then the total [IDX-INV-REPORT-01]", () => {
  const inventory = createInventory();
  inventory.define("bolt", 25);
  inventory.define("nut", 10);
  inventory.addStock("bolt", 2);
  inventory.addStock("nut", 30);
  assert.equal(
    stockReport(inventory, 5),
    ["bolt: 2 x 25 = 50 REORDER", "nut: 30 x 10 = 300", "total: 350"].join("\n"),
  );
});
