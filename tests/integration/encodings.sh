# The same call in UTF-8, UTF-8 with BOM, UTF-16LE, UTF-16BE and CRLF gives the
# same tags: the CSV summary (which has no byte counts) is byte-identical.
source "$(dirname "$0")/lib/common.bash" "$@"
text='Agent: Northwind, this is Maria.
Customer: Hi, José here. How much is the tune-up? The last one was too expensive.
Agent: It is $129, or $49 with the coupon.
Customer: I never had a problem with you. Book me for Tuesday.
'
for enc in utf8 bom utf16le utf16be crlf; do mkdir "$enc"; done
printf '%s' "$text" > utf8/call.txt
{ printf '\xef\xbb\xbf'; printf '%s' "$text"; } > bom/call.txt
{ printf '\xff\xfe'; printf '%s' "$text" | iconv -f UTF-8 -t UTF-16LE; } > utf16le/call.txt
{ printf '\xfe\xff'; printf '%s' "$text" | iconv -f UTF-8 -t UTF-16BE; } > utf16be/call.txt
printf '%s' "$text" | sed 's/$/\r/' > crlf/call.txt
"$CALLSIGHT" analyze utf8 --format csv -q > utf8.csv
grep -q '^all,all,1,0,0,,pricing,.*,1,1,' utf8.csv || { cat utf8.csv >&2; fail "pricing not tagged"; }
for enc in bom utf16le utf16be crlf; do
  "$CALLSIGHT" analyze "$enc" --format csv -q > "$enc.csv"
  cmp utf8.csv "$enc.csv" || { diff utf8.csv "$enc.csv" >&2; fail "$enc differs from utf8"; }
done
