/** The repository's files as git sees them: tracked plus untracked-but-not-ignored, minus deleted. */
import { simpleGit } from "simple-git";

/** Repo-relative '/'-separated paths, or undefined when `root` is not inside a git work tree. */
export async function listGitFiles(root: string): Promise<string[] | undefined> {
  const git = simpleGit({ baseDir: root });
  try {
    const [listed, deleted] = await Promise.all([
      git.raw(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]),
      git.raw(["ls-files", "-z", "--deleted"]),
    ]);
    const gone = new Set(splitNul(deleted));
    return [...new Set(splitNul(listed))].filter((file) => !gone.has(file)).sort();
  } catch {
    return undefined;
  }
}

function splitNul(output: string): string[] {
  return output.split("\0").filter((entry) => entry !== "");
}
