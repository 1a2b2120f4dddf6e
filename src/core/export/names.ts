/**
 * Names the exported workflow derives from workstream ids. GitHub job ids allow letters, digits,
 * `-` and `_` and start with a letter or `_`; artifact names may not hold `" : < > | * ? \ /` or
 * line breaks. Ids are written into YAML and scripts' environments, so only plain ones are exported.
 */

/** A workstream id the export may write into a workflow: no quoting, no `${{ }}`, no spaces. */
export const EXPORTABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The job id of each workstream: the id cleaned, unique among `ids` (a clash gets `-2`, `-3`...). */
export function jobIds(ids: readonly string[]): Map<string, string> {
  const taken = new Set<string>(["integrate"]);
  const result = new Map<string, string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_-]/g, "_");
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
    taken.add(candidate.toLowerCase());
    result.set(id, candidate);
  }
  return result;
}

/** An artifact name part with GitHub's forbidden characters replaced by `_`. */
export function cleanArtifactPart(text: string): string {
  return text.replace(/["':<>|*?\\/\r\n]/g, "_");
}

/** The artifact holding one workstream's journal; all start with the prefix the final job downloads. */
export const JOURNAL_ARTIFACT_PREFIX = "wsp-journal-";

export function journalArtifactName(jobId: string): string {
  return `${JOURNAL_ARTIFACT_PREFIX}${cleanArtifactPart(jobId)}`;
}

/**
 * The start of a job's journal file names: each attempt writes `<stem>-attempt-<n>.ndjson`, unique
 * per job and attempt, so every journal of every attempt lands side by side in one folder.
 */
export function journalFileStem(jobId: string): string {
  return cleanArtifactPart(jobId);
}

/** The folder under the runner's temp folder holding one job's journals: its artifact's content. */
export function journalFolder(jobId: string): string {
  return `wsp-journals/${cleanArtifactPart(jobId)}`;
}
