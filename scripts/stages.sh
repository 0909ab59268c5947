# shellcheck shell=bash
# Per-stage timing for the test scripts (sourced). `stage NAME` closes the running stage, printing
# "stage NAME: N s", and announces the next one as "== NAME"; `stages_summary` closes the last
# stage and lists every stage's time again, so that a slow stage stands out at the end of the log.
stage_name=""
stage_started=0
stage_times=()

stage_end() {
  if [ -n "$stage_name" ]; then
    stage_times+=("stage $stage_name: $((SECONDS - stage_started)) s")
    echo "${stage_times[-1]}"
    stage_name=""
  fi
}

stage() {
  stage_end
  stage_name="$1"
  stage_started=$SECONDS
  echo "== $1"
}

stages_summary() {
  stage_end
  if ((${#stage_times[@]})); then
    echo "== stage times (total $SECONDS s)"
    printf '%s\n' "${stage_times[@]}"
  fi
}
