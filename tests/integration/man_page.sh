# The hand-written man page renders without groff warnings and documents
# every option of every subcommand's --help, so the two cannot drift.
source "$(dirname "$0")/lib/common.bash" "$@"
PAGE="$SRC/docs/callsight.1"
if ! command -v groff > /dev/null; then
  echo "SKIP: groff is not installed"
  exit 0
fi
groff -man -ww -z "$PAGE" 2> warnings.txt || fail "groff failed on $PAGE"
[ ! -s warnings.txt ] || { cat warnings.txt >&2; fail "groff warnings in $PAGE"; }
version=$("$CALLSIGHT" --version | cut -d' ' -f2)
grep -q "^\.TH CALLSIGHT 1 .* \"callsight $version\"" "$PAGE" || fail "the man page's .TH line does not name version $version"
groff -man -Tascii -P-cbou "$PAGE" > rendered.txt 2> /dev/null
for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" CONFIGURATION FILES; do
  contains rendered.txt "$section"
done
for command in analyze discover eval "taxonomy init" "taxonomy check"; do
  # shellcheck disable=SC2086
  "$CALLSIGHT" $command --help > help.txt
  for option in $(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' help.txt | tr -d ' ,' | sort -u); do
    # In roff source a hyphen is written \- .
    grep -qF -- "${option//-/\\-}" "$PAGE" || fail "the man page lacks '$command $option' (in --help)"
    grep -qE -- "(^|[^a-zA-Z0-9-])${option}([^a-zA-Z0-9-]|$)" rendered.txt ||
      fail "the rendered man page lacks '$option'"
  done
done
if command -v man > /dev/null; then
  MANWIDTH=80 man -l "$PAGE" > man.txt 2> man-err.txt || fail "man -l failed: $(cat man-err.txt)"
  contains man.txt "callsight - turn folders of call transcripts into marketing evidence"
fi
echo "man page: ok"
