/** Creating files where "already there" is an answer, not an error. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Creates a file only when nothing is there yet; returns false (and writes nothing) when it exists. */
export async function createFileExclusive(file: string, content: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, content, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}
