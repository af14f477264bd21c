#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml): choose the commit range, build the
# `mistral-guard history` command line, run it, and exit with its code (0 clean, 1 findings,
# 2 error). Kept as a script so it can be tested and reused from any shell CI.
#
# Environment (all optional):
#   MG_BASE, MG_HEAD        scan MG_BASE..MG_HEAD: what a pull request adds
#   MG_EVENT, MG_REF, MG_DEFAULT_BRANCH, MG_BEFORE, MG_AFTER
#                           a push to a branch other than the default one scans
#                           MG_BEFORE..MG_AFTER; anything else scans the full history
#   MG_SARIF_FILE           also write a SARIF report to this file
#   MG_ANNOTATIONS          "true" (default): print GitHub annotations after the text report
#   MG_EXTRA_ARGS           extra arguments for `mistral-guard history`, split on whitespace;
#                           an extra --format needs its own --output
#   MG_COMMAND              the CLI to run (default: mistral-guard)
#   MG_DRY_RUN              "1": print the command line instead of running it
set -euo pipefail

no_commit=0000000000000000000000000000000000000000
range=""
if [[ -n "${MG_BASE:-}" && -n "${MG_HEAD:-}" ]]; then
  range="$MG_BASE..$MG_HEAD"
elif [[ "${MG_EVENT:-}" == push && -n "${MG_DEFAULT_BRANCH:-}" \
        && "${MG_REF:-}" != "refs/heads/$MG_DEFAULT_BRANCH" \
        && -n "${MG_BEFORE:-}" && "$MG_BEFORE" != "$no_commit" ]]; then
  range="$MG_BEFORE..${MG_AFTER:-HEAD}"
fi

read -r -a extra <<< "${MG_EXTRA_ARGS:-}"
command=("${MG_COMMAND:-mistral-guard}" history)
[[ -n "$range" ]] && command+=("$range")
command+=(${extra[@]+"${extra[@]}"})
if [[ -n "${MG_SARIF_FILE:-}" ]]; then
  command+=(--format sarif --output "$MG_SARIF_FILE")
fi
annotations=""
if [[ "${MG_ANNOTATIONS:-true}" == true ]]; then
  annotations="$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mistral-guard-annotations.XXXXXX")"
  command+=(--format github --output "$annotations")
fi
command+=(--format text)

if [[ "${MG_DRY_RUN:-}" == 1 ]]; then
  printf '%q ' "${command[@]}" | sed 's/ $//'
  echo
  [[ -z "$annotations" ]] || rm -f "$annotations"
  exit 0
fi

if [[ "$(git rev-parse --is-shallow-repository)" == true ]]; then
  echo "::error::mistral-guard needs the full history: check out with fetch-depth: 0" >&2
  exit 2
fi

code=0
"${command[@]}" || code=$?
if [[ -n "$annotations" ]]; then
  cat "$annotations" 2>/dev/null || true
  rm -f "$annotations"
fi
exit "$code"
