import assert from "node:assert/strict";
import { acceptanceArgv } from "./acceptanceArgv";

describe("acceptanceArgv", () => {
  it("splits plain words and runs them without a shell", () => {
    assert.deepEqual(acceptanceArgv("node --test  test/a.test.js"), {
      argv: ["node", "--test", "test/a.test.js"],
      viaShell: false,
    });
  });

  for (const command of [
    "node -e 1\ntouch X",
    "node -e `touch X`",
    "VAR=1 node -e 1",
    "ls ~",
    "echo $HOME",
    "a | b",
    "node -e 'process.exit(0)'",
    "ls *.js",
  ])
    it(`runs ${JSON.stringify(command)} through sh -c, as written`, () => {
      assert.deepEqual(acceptanceArgv(command), { argv: ["sh", "-c", command], viaShell: true });
    });
});
