"use strict";

const { createInventory } = require("./inventory.js");

module.exports = { createInventory };
