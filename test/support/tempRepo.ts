/** Real temporary git repositories built from object literals, for adapter and CLI tests. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";

export interface TempRepo {
  root: string;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  commitAll(message: string): void;
  remove(): void;
}

/** Creates a git repository in a fresh temp dir with `files` committed on branch `main`. */
export function createTempRepo(files: Record<string, string> = {}, prefix = "wsp-test-"): TempRepo {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const git = (...args: string[]): string =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "Test",
        GIT_AUTHOR_EMAIL: "test@example.invalid",
        GIT_COMMITTER_NAME: "Test",
        GIT_COMMITTER_EMAIL: "test@example.invalid",
      },
    });
  const write = (more: Record<string, string>): void => {
    for (const [relative, content] of Object.entries(more)) {
      const target = path.join(root, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  };
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.invalid");
  git("config", "user.name", "Test");
  git("config", "commit.gpgsign", "false");
  write(files);
  const commitAll = (message: string): void => {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
  };
  commitAll("initial");
  return { root, git, write, commitAll, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A fresh empty temp directory (not a repository). */
export function createTempDir(prefix = "wsp-test-"): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
