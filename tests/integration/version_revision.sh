# --version names the git revision, computed at every build by
# cmake/GitRevision.cmake: a checkout gives its commit, a tarball (no git, or
# unpacked inside someone else's checkout) gives "unknown", and
# -DCALLSIGHT_GIT_REVISION names it explicitly.
source "$(dirname "$0")/lib/common.bash" "$@"
"$CALLSIGHT" --version > version.txt
grep -Eq '^callsight [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]{12}|unknown|[^()]+)\)$' version.txt ||
  fail "bad --version: $(cat version.txt)"
if git -C "$SRC" rev-parse --show-toplevel > /dev/null 2>&1; then
  grep -Eq '\([0-9a-f]{12}\)$' version.txt || fail "built from a checkout, yet: $(cat version.txt)"
  git -C "$SRC" check-attr export-subst cmake/archive-revision.txt | grep -q ': set$' ||
    fail "cmake/archive-revision.txt lost its export-subst attribute (.gitattributes)"
fi

revision_of() { # revision_of SOURCE_DIR [extra -D...]: the revision the script writes
  local dir=$1
  shift
  cmake -DSOURCE_DIR="$dir" -DINPUT="$SRC/src/util/version.cpp.in" -DOUTPUT="$WORK/version.cpp" \
    -DPROJECT_VERSION=9.8.7 "$@" -P "$SRC/cmake/GitRevision.cmake"
  grep -q 'version() { return "9.8.7"; }' "$WORK/version.cpp" || fail "version not written"
  sed -n 's/.*git_revision() { return "\(.*\)"; }.*/\1/p' "$WORK/version.cpp"
}
mkdir tarball
[ "$(revision_of "$WORK/tarball")" = unknown ] || fail "a tree without git must say unknown"
[ "$(revision_of "$WORK/tarball" -DREVISION=v1.2-deb)" = v1.2-deb ] || fail "-DREVISION is ignored"
if command -v git > /dev/null; then
  git init -q repo
  echo x > repo/file
  git -C repo -c user.name=t -c user.email=t@t add file
  git -C repo -c user.name=t -c user.email=t@t commit -qm init
  want=$(git -C repo rev-parse --short=12 HEAD)
  [ "$(revision_of "$WORK/repo")" = "$want" ] || fail "checkout revision"
  mkdir repo/unpacked
  [ "$(revision_of "$WORK/repo/unpacked")" = unknown ] ||
    fail "a tarball unpacked inside another checkout must not take its revision"
  # A `git archive` tarball carries its commit in cmake/archive-revision.txt.
  mkdir repo/cmake
  cp "$SRC/.gitattributes" repo/
  cp "$SRC/cmake/archive-revision.txt" repo/cmake/
  git -C repo -c user.name=t -c user.email=t@t add .gitattributes cmake
  git -C repo -c user.name=t -c user.email=t@t commit -qm archive
  mkdir archived
  git -C repo archive HEAD | tar -x -C archived
  want=$(git -C repo rev-parse --short=12 HEAD)
  [ "$(revision_of "$WORK/archived")" = "$want" ] || fail "a git archive tarball must name its commit"
  [ "$(revision_of "$WORK/archived" -DREVISION=v2)" = v2 ] || fail "-DREVISION must win over the archive"
  [ "$(revision_of "$WORK/repo")" = "$want" ] || fail "checkout revision with archive-revision.txt"
  # Unchanged revision: the file is not rewritten, so nothing recompiles.
  revision_of "$WORK/repo" > /dev/null
  before=$(stat -c %y "$WORK/version.cpp")
  sleep 1
  revision_of "$WORK/repo" > /dev/null
  after=$(stat -c %y "$WORK/version.cpp")
  [ "$before" = "$after" ] || fail "version.cpp rewritten although the revision did not change"
fi
echo "version: ok"
