/**
 * The shell the exported jobs run. Nothing from a bundle is ever spliced into these texts: ids and
 * file names reach them through `env:` and are always quoted, so `${{ }}` and shell syntax in a
 * bundle stay inert (GitHub expands expressions into a `run:` script before the shell reads it).
 */

/** The default install: checks the CLI copy written beside the workflow against its sha512, puts `wsp` on PATH. */
export const INSTALL_WSP_COPY = `echo "$WSP_CLI_SHA512  $WSP_CLI_DIR/cli.js" > "$RUNNER_TEMP/wsp-cli.sha512"
echo "$WSP_CLI_MAIN_SHA512  $WSP_CLI_DIR/cliMain.js" >> "$RUNNER_TEMP/wsp-cli.sha512"
echo "$WSP_WASM_SHA512  $WSP_CLI_DIR/sql-wasm.wasm" >> "$RUNNER_TEMP/wsp-cli.sha512"
sha512sum --check --strict "$RUNNER_TEMP/wsp-cli.sha512"
bin="$RUNNER_TEMP/wsp-bin"
mkdir -p "$bin"
cp "$WSP_CLI_DIR/cli.js" "$WSP_CLI_DIR/cliMain.js" "$WSP_CLI_DIR/sql-wasm.wasm" "$bin/"
printf '#!/bin/sh\\nexec node "%s/cli.js" "$@"\\n' "$bin" > "$bin/wsp"
chmod +x "$bin/wsp"
echo "$bin" >> "$GITHUB_PATH"`;

/** After the install: the store lives outside the checkout, and the installed wsp says its version. */
export const PREPARE_STORE = `echo "PIPELINE_DB_PATH=$RUNNER_TEMP/wsp-state/pipeline.db" >> "$GITHUB_ENV"
wsp --version`;

/**
 * A re-run finds the branch an earlier attempt pushed: when its tip carries this workflow run's
 * \`Run:\` trailer for this workstream, the work is done and the job only reports that.
 */
export const SKIP_IF_DONE = `ref="refs/remotes/origin/workstream/$WSP_WS_ID"
skip=false
if git rev-parse --verify --quiet "$ref" > /dev/null; then
  while IFS= read -r line; do
    case "$line" in
      "Run: gha-$GITHUB_RUN_ID-"*"-$WSP_WS_ID") skip=true ;;
    esac
  done < <(git log -1 --format=%B "$ref")
fi
echo "skip=$skip" >> "$GITHUB_OUTPUT"
if [ "$skip" = true ]; then
  echo "workstream/$WSP_WS_ID already holds its finished commit from this workflow run: skipping it"
fi`;

/** Imports the dependencies' journals and makes their pushed branches local, as a local run has them. */
export const TAKE_DEPENDENCIES = `wsp db import "$RUNNER_TEMP"/wsp-deps/*.ndjson
for dep in $WSP_DEPENDENCIES; do
  git fetch --no-tags origin "+refs/heads/workstream/$dep:refs/heads/workstream/$dep"
done`;

export const INSTALL_AGENT = `npm install --global --no-audit --no-fund "$WSP_AGENT_PACKAGE"`;

/**
 * The run: its id comes from the workflow run and attempt, its events go to this attempt's journal,
 * beside the journals of earlier attempts (which the upload keeps).
 */
export const RUN_WORKSTREAM = `mkdir -p "$WSP_JOURNAL_DIR"
wsp run "$WSP_WS_ID" --run-id "gha-$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT-$WSP_WS_ID" --events ndjson \\
  > "$WSP_JOURNAL_DIR/$WSP_JOURNAL_STEM-attempt-$GITHUB_RUN_ATTEMPT.ndjson"`;

/**
 * Pushes with the token given to this step only (the checkout keeps none for the agent), leased
 * against the branch as the checkout saw it, so a repeat is safe and a stranger's push is not lost.
 * A branch that already holds the same tree (a re-run's equal merge) is left as it is.
 */
export const PUSH_BRANCH = `tracking="refs/remotes/origin/$WSP_BRANCH"
if git rev-parse --verify --quiet "$tracking" > /dev/null &&
  [ "$(git rev-parse "$tracking^{tree}")" = "$(git rev-parse "refs/heads/$WSP_BRANCH^{tree}")" ]; then
  echo "origin's $WSP_BRANCH already holds this tree: nothing to push"
  exit 0
fi
auth="$(printf 'x-access-token:%s' "$WSP_PUSH_TOKEN" | base64 | tr -d '\\n')"
echo "::add-mask::$auth"
git -c "http.https://github.com/.extraheader=AUTHORIZATION: basic $auth" \\
  push --force-with-lease origin "refs/heads/$WSP_BRANCH:refs/heads/$WSP_BRANCH"`;

/** The final job: every workstream branch made local, an integration branch, and the merge. */
export const MERGE_ALL = `wsp db import "$RUNNER_TEMP"/wsp-journals/*.ndjson
for id in $WSP_WORKSTREAMS; do
  git fetch --no-tags origin "+refs/heads/workstream/$id:refs/heads/workstream/$id"
done
git checkout -B "$WSP_BRANCH"
wsp merge --all`;

export const INTEGRATION_BRANCH = `echo "WSP_BRANCH=wsp/integration-$GITHUB_RUN_ID" >> "$GITHUB_ENV"`;

/** Opens the pull request once; a re-run finds it open and leaves it. */
export const OPEN_PULL_REQUEST = `open="$(gh pr list --head "$WSP_BRANCH" --state open --json number --jq 'length')"
if [ "$open" = "0" ]; then
  gh pr create --base "$GITHUB_REF_NAME" --head "$WSP_BRANCH" \\
    --title "wsp: workstreams of workflow run $GITHUB_RUN_ID" \\
    --body "Merged by wsp from: $WSP_WORKSTREAMS"
fi`;
