# The Debian package built by CPack from the build the tests run from: its
# contents, its Depends computed by dpkg-shlibdeps, and the packaged binary,
# extracted with dpkg-deb -x, analyzing the sample calls.
source "$(dirname "$0")/lib/common.bash" "$@"
BUILD=$(dirname "$CALLSIGHT")
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  if ! command -v "$tool" > /dev/null; then
    echo "SKIP: $tool is not installed (dpkg-dev provides dpkg-shlibdeps)"
    exit 0
  fi
done
if [ ! -f "$BUILD/CPackConfig.cmake" ]; then
  echo "SKIP: $BUILD has no CPackConfig.cmake"
  exit 0
fi
started=$SECONDS
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/pkg" > cpack.log 2>&1 ||
  { cat cpack.log >&2; fail "cpack -G DEB"; }
deb=$(ls "$WORK"/pkg/callsight_*.deb 2> /dev/null | head -n 1)
[ -n "$deb" ] || { cat cpack.log >&2; fail "no callsight_*.deb in $WORK/pkg"; }
echo "built $(basename "$deb") in $((SECONDS - started)) s"

dpkg-deb -c "$deb" > contents.txt
for file in ./usr/bin/callsight ./usr/share/man/man1/callsight.1.gz \
  ./usr/share/callsight/taxonomy.json ./usr/share/callsight/sentiment_lexicon.tsv \
  ./usr/share/callsight/stopwords_en.txt ./usr/share/callsight/background_en.tsv \
  ./usr/share/bash-completion/completions/callsight ./usr/share/zsh/vendor-completions/_callsight \
  ./usr/share/doc/callsight/README.md; do
  grep -qE -- " $file$" contents.txt || { cat contents.txt >&2; fail "the package lacks $file"; }
done
dpkg-deb -f "$deb" Package Version Maintainer Depends Section > control.txt
contains control.txt "Package: callsight"
contains control.txt "Section: utils"
for library in libc6 libstdc++6 libutf8proc libstemmer libspdlog libfmt; do
  grep -q "^Depends:.*$library" control.txt || { cat control.txt >&2; fail "Depends lacks $library"; }
done

dpkg-deb -x "$deb" root
"$WORK/root/usr/bin/callsight" --version | grep -Eq '^callsight [0-9.]+ \(' || fail "packaged --version"
(cd "$SRC/data" && "$WORK/root/usr/bin/callsight" analyze calls --metadata calls.csv --no-config -q) > packaged.json
(cd "$SRC/data" && "$CALLSIGHT" analyze calls --metadata calls.csv --no-config -q) > built.json
cmp packaged.json built.json || fail "the packaged binary gives a different report"
"$WORK/root/usr/bin/callsight" taxonomy check "$WORK/root/usr/share/callsight/taxonomy.json" > /dev/null
echo "deb package: ok ($((SECONDS - started)) s)"
