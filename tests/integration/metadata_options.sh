# Call-log options through the CLI: export column names recognized, a column
# map, a file-name pattern, spend ratios, and rows that match no transcript.
source "$(dirname "$0")/lib/common.bash" "$@"
mkdir calls
printf 'Agent: Hi.\nCustomer: How much is a tune-up?\n' > calls/tv_spot-2026-10-05-c1.txt
printf 'Agent: Hi.\nCustomer: I want to cancel my plan.\n' > calls/radio-2026-10-13-c2.txt
printf 'Agent: Hi.\nCustomer: What is the price?\n' > calls/tv_spot-2026-10-14-c3.txt

# An export with its own column names: "Call ID", "UTM Campaign", "Sale Value".
printf 'Call ID,UTM Campaign,Agent Name,Converted,Sale Value\nc1,tv,Maria,1,$189.00\nc2,radio,Dev,0,\nc9,tv,Dev,0,\n' > export.csv
"$CALLSIGHT" analyze calls --metadata export.csv -q \
  --filename-pattern '^[a-z_]+-\d{4}-\d{2}-\d{2}-(?<call_id>c\d+)' -o report.json
contains report.json '"rows_without_transcript": 1'
contains report.json '"rows_without_transcript_ids": ['
contains report.json '"c9"'
contains report.json '"calls_without_row": 1'
contains report.json '"revenue": 189.0'

# Group by a file-name field and a week taken from the file name.
"$CALLSIGHT" analyze calls -q --format csv --group-by channel,week \
  --filename-pattern '^(?<channel>[a-z_]+)-(?<date>\d{4}-\d{2}-\d{2})-(?<call_id>c\d+)' > by-name.csv
contains by-name.csv 'channel,tv_spot,2,0,0,,pricing,Pricing and cost,concern,2,1,2'
contains by-name.csv 'week,2026-W41,1,'
contains by-name.csv 'week,2026-W42,2,'

# A column map renames what the aliases do not know.
printf 'Ref,Program\nc1,tv\nc2,radio\nc3,tv\n' > odd.csv
"$CALLSIGHT" analyze calls --metadata odd.csv --column-map 'call_id=Ref,campaign=Program' -q \
  --filename-pattern '(?<call_id>c\d+)\.txt$' --format csv --group-by campaign > mapped.csv
contains mapped.csv 'campaign,tv,2,0,0,0.00,pricing'

# Spend per campaign: cost per call and per call with a concern.
printf 'campaign,period,spend,currency\ntv,2026-10,300.00,USD\nradio,2026-10,50,USD\n' > spend.csv
"$CALLSIGHT" analyze calls --metadata odd.csv --column-map 'call_id=Ref,campaign=Program' -q \
  --filename-pattern '(?<call_id>c\d+)\.txt$' --spend spend.csv --format csv > spend-report.csv
contains spend-report.csv 'campaign,tv,2,0,0,0.00,pricing,Pricing and cost,concern,2,1,2,300.00,150.00,,150.00'
contains spend-report.csv 'campaign,radio,1,0,0,0.00,cancellation,Cancellation / churn risk,concern,1,1,1,50.00,50.00,,50.00'

# Mistakes are usage errors (exit 2) with a clear message.
run_status code "$CALLSIGHT" analyze calls --filename-pattern '(?<x>[' 2> err.txt
expect_code 2 "$code" "bad filename pattern"
contains err.txt "--filename-pattern"
run_status code "$CALLSIGHT" analyze calls --metadata odd.csv --column-map 'call_id=Nope' 2> err.txt
expect_code 2 "$code" "column map naming a missing header"
printf 'campaign,spend\ntv,abc\n' > bad-spend.csv
run_status code "$CALLSIGHT" analyze calls --spend bad-spend.csv 2> err.txt
expect_code 2 "$code" "bad spend file"
contains err.txt "bad-spend.csv: line 2"
