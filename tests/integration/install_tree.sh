# `cmake --install` of the build the tests run from: binary, default data,
# man page, bash and zsh completions and docs land in place, and the installed
# binary analyzes the installed sample calls.
source "$(dirname "$0")/lib/common.bash" "$@"
BUILD=$(dirname "$CALLSIGHT")
if [ ! -f "$BUILD/cmake_install.cmake" ]; then
  echo "SKIP: $BUILD is not a CMake build tree"
  exit 0
fi
cmake --install "$BUILD" --prefix "$WORK/usr" > install.log 2>&1 || { cat install.log >&2; fail "cmake --install"; }
P="$WORK/usr"
for file in bin/callsight share/man/man1/callsight.1.gz \
  share/callsight/taxonomy.json share/callsight/sentiment_lexicon.tsv \
  share/callsight/stopwords_en.txt share/callsight/background_en.tsv \
  share/bash-completion/completions/callsight share/zsh/vendor-completions/_callsight \
  share/doc/callsight/README.md share/doc/callsight/examples/calls.csv \
  share/doc/callsight/examples/calls/call-0001.txt; do
  [ -f "$P/$file" ] || fail "cmake --install did not install $file"
done
[ -x "$P/bin/callsight" ] || fail "bin/callsight is not executable"
gzip -dc "$P/share/man/man1/callsight.1.gz" | cmp - "$SRC/docs/callsight.1" ||
  fail "the installed man page is not docs/callsight.1 compressed"
# The installed data are the built-in data.
"$P/bin/callsight" taxonomy init > builtin-taxonomy.json
cmp builtin-taxonomy.json "$P/share/callsight/taxonomy.json" || fail "installed taxonomy differs from the built-in one"
"$P/bin/callsight" taxonomy check "$P/share/callsight/taxonomy.json" > /dev/null
# The completions installed are the ones the binary generates.
"$P/bin/callsight" completion bash > bash.txt
cmp bash.txt "$P/share/bash-completion/completions/callsight" || fail "installed bash completion is stale"
contains "$P/share/zsh/vendor-completions/_callsight" "#compdef callsight"
"$P/bin/callsight" --version | grep -Eq '^callsight [0-9.]+ \(' || fail "installed --version"
# The installed binary on the installed samples, like the one in the build tree.
EX="$P/share/doc/callsight/examples"
(cd "$EX" && "$P/bin/callsight" analyze calls --metadata calls.csv --spend spend.csv --no-config -q) > installed.json
(cd "$SRC/data" && "$CALLSIGHT" analyze calls --metadata calls.csv --spend spend.csv --no-config -q) > built.json
cmp installed.json built.json || fail "installed binary and samples give a different report"
echo "install tree: ok"
