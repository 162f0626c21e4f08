// HTML report: one self-contained page (inline CSS, inline SVG charts, a small
// table-sorting script) built from the summary JSON, readable on screen and on paper.
//
// Safety: every string from the JSON is HTML-escaped for text and attribute
// contexts; no data goes into the script or the style block; no attribute is
// built from data except escaped text in quoted values. A Content-Security-Policy
// allows only the exact inline style and script emitted here (by SHA-256 hash),
// so even markup that slipped through escaping could neither run script nor load
// anything: `default-src 'none'` also blocks every network request.
//
// Charts: every <svg> has data-chart="NAME" and each bar class="bar" (segments
// of stacked bars are class="seg" inside their bar; trend lines are class="line"
// with class="point" markers), so tests can count them. Names:
//   top-concerns, heard-of-us, concern-mix-DIM, conversion-DIM,
//   cost-per-conversion-DIM, topic-trends-DIM, sentiment-by-topic, emerging-phrases,
//   journey-repeat-rate (the `journeys` section of --caller-key, shape in the README).
//
// Optional sections, rendered only when their fields exist (shapes expected):
//   "sentiment_by_topic": [{"id": "pricing", "customer_mean": -0.21, "calls": 18}]
//       customer_mean in [-1, 1]; calls optional.
//   "emerging": [{"phrase": "heat pump rebate", "calls": 4, "share": 0.08, "growth": 3.5}]
//       growth = current share / baseline share; share and growth optional.
//   "examples": [{"topic": "pricing", "file": "calls/c1.txt", "time": 62.5, "snippet": "..."}]
//       time in seconds (or a preformatted string); snippets are already redacted.
//   "trends": {"dimension", "current", "previous",
//              "topics": [{"id", "current_share", "previous_share", "change"? | "change_pp"?}]}
//       change is a share difference, change_pp the same in points (the store's trends).
//   "alerts": [{"rule", "topic", "label", "dimension"?, "value"?, "current_share",
//               "previous_share", "change_pp", "p_value"}]   (see report_text::alert_lines)
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "report/report_text.hpp"

namespace callsight {
namespace report_text {

namespace {

constexpr std::array<std::uint32_t, 64> k_sha256_rounds = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::array<std::uint8_t, 32> sha256(std::string_view data) {
  std::array<std::uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string message(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  message.push_back(static_cast<char>(0x80));
  while (message.size() % 64 != 56) {
    message.push_back('\0');
  }
  for (int shift = 56; shift >= 0; shift -= 8) {
    message.push_back(static_cast<char>((bits >> shift) & 0xff));
  }
  for (std::size_t chunk = 0; chunk < message.size(); chunk += 64) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      for (std::size_t b = 0; b < 4; ++b) {
        w[i] = (w[i] << 8) | static_cast<unsigned char>(message[chunk + 4 * i + b]);
      }
    }
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 =
          std::rotr(w[i - 15], 7) ^ std::rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = std::rotr(w[i - 2], 17) ^ std::rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = state;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = std::rotr(v[4], 6) ^ std::rotr(v[4], 11) ^ std::rotr(v[4], 25);
      const std::uint32_t choose = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + choose + k_sha256_rounds[i] + w[i];
      const std::uint32_t s0 = std::rotr(v[0], 2) ^ std::rotr(v[0], 13) ^ std::rotr(v[0], 22);
      const std::uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      std::rotate(v.rbegin(), v.rbegin() + 1, v.rend()); // h=g, g=f, ..., b=a
      v[4] += t1;
      v[0] = t1 + s0 + majority;
    }
    for (std::size_t i = 0; i < 8; ++i) {
      state[i] += v[i];
    }
  }
  std::array<std::uint8_t, 32> digest{};
  for (std::size_t i = 0; i < 32; ++i) {
    digest[i] = static_cast<std::uint8_t>(state[i / 4] >> (24 - 8 * (i % 4)));
  }
  return digest;
}

std::string base64(const std::array<std::uint8_t, 32>& bytes) {
  constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    const std::uint32_t block = (static_cast<std::uint32_t>(bytes[i]) << 16) |
                                (left > 1 ? static_cast<std::uint32_t>(bytes[i + 1]) << 8 : 0) |
                                (left > 2 ? static_cast<std::uint32_t>(bytes[i + 2]) : 0);
    out.push_back(k_alphabet[(block >> 18) & 63]);
    out.push_back(k_alphabet[(block >> 12) & 63]);
    out.push_back(left > 1 ? k_alphabet[(block >> 6) & 63] : '=');
    out.push_back(left > 2 ? k_alphabet[block & 63] : '=');
  }
  return out;
}

} // namespace

std::string csp_hash(std::string_view content) {
  return "'sha256-" + base64(sha256(content)) + "'";
}

} // namespace report_text

namespace {

using report_text::Json;
using report_text::TopicInfo;

std::string esc(std::string_view text) {
  return report_text::html_escape(text);
}

using report_text::capitalized;

// Fixed palette (colour-blind friendly, prints well); concern topics take
// colours in taxonomy order so a topic has one colour in every chart.
constexpr std::array<std::string_view, 12> k_palette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                        "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                        "#9c755f", "#6b6ecf", "#bab0ac", "#a0cbe8"};
constexpr std::string_view k_rate_colour = "#4e79a7";
constexpr std::string_view k_cost_colour = "#f28e2b";
constexpr std::string_view k_source_colour = "#76b7b2";
constexpr std::string_view k_positive_colour = "#59a14f";
constexpr std::string_view k_negative_colour = "#e15759";

// Chart geometry in SVG units; charts render 1:1 on a wide screen and shrink
// to fit narrower screens and paper.
struct ChartSize {
  int width;
  int label; ///< room for row labels at the left
  int value; ///< room for value text at the right
  int bar_area() const { return width - label - value - 8; }
  // About 6.5 units per character at 12px.
  std::size_t label_chars() const { return static_cast<std::size_t>((label - 12) * 2 / 13); }
};
constexpr ChartSize k_wide{960, 200, 80};
constexpr ChartSize k_half{470, 170, 70};
constexpr int k_row_height = 24;
constexpr int k_bar_height = 16;
constexpr std::size_t k_trend_topics = 5;
constexpr std::size_t k_emerging_bars = 15;
constexpr std::size_t k_examples = 40;
constexpr std::size_t k_errors_listed = 50;

std::string_view topic_colour(const TopicInfo& topic) {
  return k_palette[topic.concern_index % k_palette.size()];
}

// Shortest round-trip form of a number, for data-sort and SVG coordinates.
std::string plain_number(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

// SVG coordinates with one decimal keep the file small and stable.
std::string coord(double value) {
  return report_text::format_fixed(value, 1);
}

constexpr std::string_view k_style = R"css(
:root{--ink:#1f2933;--muted:#52606d;--line:#d9dee4;--soft:#f4f6f8;--accent:#2f5d8a}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.top{background:#fff;border-bottom:1px solid var(--line);padding:28px 0 18px}
.wrap{max-width:1100px;margin:0 auto;padding:0 28px}
h1{margin:0 0 4px;font-size:26px;letter-spacing:-.01em}
h2{margin:0 0 4px;font-size:19px}
h3{margin:18px 0 6px;font-size:15px}
.facts{margin:6px 0 0;color:var(--muted);font-size:13px}
.facts span+span::before{content:"\00b7";margin:0 8px;color:#9aa5b1}
nav.toc{margin-top:14px;font-size:13px}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px}
main{padding:20px 0 40px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:20px 24px;margin:0 0 18px}
section.plain{background:none;border:0;padding:0}
.note{color:var(--muted);font-size:13px;margin:0 0 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:12px 14px;background:#fff}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:24px;font-weight:600;margin-top:2px;font-variant-numeric:tabular-nums}
.card .s{color:var(--muted);font-size:12px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
figure{margin:10px 0 16px}
figcaption{font-weight:600;font-size:13px;margin-bottom:6px}
svg.chart{display:block;max-width:100%;height:auto;font-size:12px}
svg.chart text{fill:var(--ink)}
svg.chart text.value,svg.chart text.axis{fill:var(--muted)}
svg.chart .grid{stroke:#e4e7eb;stroke-width:1}
svg.chart .base{stroke:#9aa5b1;stroke-width:1}
svg.chart .line{fill:none;stroke-width:2.5}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 0;padding:0;list-style:none;font-size:12px;color:var(--muted)}
.legend svg{width:10px;height:10px;margin-right:5px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
.scroll{overflow-x:auto}
th,td{padding:6px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th::after{content:" \2195";color:#9aa5b1;font-size:11px}
table.sortable th[aria-sort=ascending]::after{content:" \2191";color:var(--ink)}
table.sortable th[aria-sort=descending]::after{content:" \2193";color:var(--ink)}
blockquote.snippet{margin:0 0 10px;padding:8px 14px;border-left:3px solid var(--line);background:var(--soft)}
blockquote.snippet p{margin:0}
blockquote.snippet footer{color:var(--muted);font-size:12px;margin-top:4px}
footer.bottom{color:var(--muted);font-size:12px;text-align:center;padding:0 0 30px}
@media print{
 body{background:#fff;font-size:11px}
 header.top{padding:0 0 8px}
 nav.toc,table.sortable th::after{display:none}
 section{border:0;border-radius:0;padding:0;margin:0 0 14px}
 th{background:#fff;border-bottom:2px solid var(--ink)}
 blockquote.snippet{background:#fff}
 figure,.card,blockquote.snippet{break-inside:avoid}
 h2,h3,figcaption{break-after:avoid}
 tr{break-inside:avoid}
 .keep{break-inside:avoid}
 .scroll{overflow:visible}
 table{font-size:9.5px}
 th,td{padding:3px 5px}
 thead{display:table-header-group}
 svg.chart{max-width:100%}
 .grid2{grid-template-columns:1fr 1fr}
}
)css";

// Sorting by header click (numbers by data-sort, empty values last); sets
// data-js-ok on <body> at the end so a test can tell that it ran without an error.
constexpr std::string_view k_script = R"js(
(function () {
  'use strict';
  function key(cell) {
    var v = cell.getAttribute('data-sort');
    if (v === null) { return cell.textContent.trim().toLowerCase(); }
    return v === '' ? null : parseFloat(v);
  }
  function compare(a, b) {
    if (a === b) { return 0; }
    if (a === null) { return 1; }
    if (b === null) { return -1; }
    return a > b ? 1 : -1;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.querySelectorAll('thead th');
    heads.forEach(function (th, column) {
      th.tabIndex = 0;
      function sort() {
        var descending = th.getAttribute('aria-sort') === 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = key(x.cells[column]), b = key(y.cells[column]);
          if (a === null || b === null) { return compare(a, b); }
          return descending ? compare(b, a) : compare(a, b);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); }
      });
    });
  });
  document.body.setAttribute('data-js-ok', '1');
})();
)js";

// ----- charts ----------------------------------------------------------------

struct Bar {
  std::string label;
  double value = 0.0; ///< bar length in data units, >= 0
  std::string value_text;
  std::string tooltip;
  std::string_view colour;
};

void open_chart(std::ostream& out, std::string_view name, std::string_view caption, int width,
                int height) {
  out << "<figure>\n<figcaption>" << esc(caption)
      << "</figcaption>\n<svg class=\"chart\" data-chart=\"" << esc(name) << "\" width=\"" << width
      << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height
      << "\" role=\"img\" aria-label=\"" << esc(caption) << "\">\n";
}

// A row label at the left of a bar, cut to fit, with the full text as tooltip.
void write_row_label(std::ostream& out, const ChartSize& size, std::string_view label, double y) {
  out << "<text x=\"" << size.label - 8 << "\" y=\"" << coord(y)
      << "\" text-anchor=\"end\" dominant-baseline=\"middle\">"
      << esc(report_text::truncate_text(label, size.label_chars())) << "<title>" << esc(label)
      << "</title></text>\n";
}

// Horizontal bars, one per row, scaled to the largest value (or `scale_max`).
void write_bar_chart(std::ostream& out, const ChartSize& size, std::string_view name,
                     std::string_view caption, const std::vector<Bar>& bars,
                     double scale_max = 0.0) {
  if (bars.empty()) {
    return;
  }
  for (const Bar& bar : bars) {
    scale_max = std::max(scale_max, bar.value);
  }
  const int height = static_cast<int>(bars.size()) * k_row_height + 12;
  open_chart(out, name, caption, size.width, height);
  out << "<line class=\"base\" x1=\"" << size.label << "\" y1=\"4\" x2=\"" << size.label
      << "\" y2=\"" << height - 4 << "\"/>\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    const double top = 6.0 + static_cast<double>(i) * k_row_height;
    const double width =
        scale_max > 0.0 ? std::max(0.0, bar.value) / scale_max * size.bar_area() : 0.0;
    const double middle = top + k_bar_height / 2.0;
    write_row_label(out, size, bar.label, middle);
    out << "<rect class=\"bar\" x=\"" << size.label << "\" y=\"" << coord(top) << "\" width=\""
        << coord(width) << "\" height=\"" << k_bar_height << "\" fill=\"" << bar.colour
        << "\"><title>" << esc(bar.tooltip) << "</title></rect>\n"
        << "<text class=\"value\" x=\"" << coord(size.label + width + 6) << "\" y=\""
        << coord(middle) << "\" dominant-baseline=\"middle\">" << esc(bar.value_text)
        << "</text>\n";
  }
  out << "</svg>\n</figure>\n";
}

struct Segment {
  double fraction = 0.0; ///< of the whole bar
  std::string_view colour;
  std::string tooltip;
};

struct StackedBar {
  std::string label;
  std::string value_text;
  std::vector<Segment> segments;
};

// 100% stacked horizontal bars: each <g class="bar"> holds its segments.
void write_stacked_chart(std::ostream& out, std::string_view name, std::string_view caption,
                         const std::vector<StackedBar>& bars) {
  const ChartSize& size = k_wide;
  const int height = static_cast<int>(bars.size()) * k_row_height + 12;
  open_chart(out, name, caption, size.width, height);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const StackedBar& bar = bars[i];
    const double top = 6.0 + static_cast<double>(i) * k_row_height;
    const double middle = top + k_bar_height / 2.0;
    write_row_label(out, size, bar.label, middle);
    out << "<g class=\"bar\" data-group=\"" << esc(bar.label) << "\">";
    double x = size.label;
    for (const Segment& segment : bar.segments) {
      const double width = segment.fraction * size.bar_area();
      out << "<rect class=\"seg\" x=\"" << coord(x) << "\" y=\"" << coord(top) << "\" width=\""
          << coord(width) << "\" height=\"" << k_bar_height << "\" fill=\"" << segment.colour
          << "\"><title>" << esc(segment.tooltip) << "</title></rect>";
      x += width;
    }
    if (bar.segments.empty()) {
      out << "<rect class=\"empty\" x=\"" << size.label << "\" y=\"" << coord(top) << "\" width=\""
          << size.bar_area() << "\" height=\"" << k_bar_height
          << "\" fill=\"#eef0f3\"><title>no concerns</title></rect>";
    }
    out << "</g>\n<text class=\"value\" x=\"" << size.label + size.bar_area() + 8 << "\" y=\""
        << coord(middle) << "\" dominant-baseline=\"middle\">" << esc(bar.value_text)
        << "</text>\n";
  }
  out << "</svg>\n</figure>\n";
}

void write_legend(std::ostream& out, const std::vector<const TopicInfo*>& topics) {
  out << "<ul class=\"legend\">";
  for (const TopicInfo* topic : topics) {
    out << "<li><svg viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" "
           "fill=\""
        << topic_colour(*topic) << "\"/></svg>" << esc(topic->label) << "</li>";
  }
  out << "</ul>\n";
}

struct Series {
  const TopicInfo* topic;
  std::vector<double> values; ///< one share per period
};

// Share of calls per period, one line per topic, points as circles.
void write_line_chart(std::ostream& out, std::string_view name, std::string_view caption,
                      const std::vector<std::string>& periods, const std::vector<Series>& series) {
  constexpr double k_left = 52, k_right = 44, k_top = 14, k_bottom = 40, k_height = 280;
  double largest = 0.0;
  for (const Series& s : series) {
    for (const double v : s.values) {
      largest = std::max(largest, v);
    }
  }
  const double step = largest <= 0.2 ? 0.05 : largest <= 0.5 ? 0.1 : 0.2;
  const double top_value = std::max(step, std::ceil(largest / step - 1e-9) * step);
  const ChartSize& size = k_wide;
  const double plot_width = size.width - k_left - k_right;
  const double plot_height = k_height - k_top - k_bottom;
  const auto x_of = [&](std::size_t i) {
    return periods.size() == 1 ? k_left + plot_width / 2
                               : k_left + plot_width * static_cast<double>(i) /
                                              static_cast<double>(periods.size() - 1);
  };
  const auto y_of = [&](double v) { return k_top + plot_height * (1.0 - v / top_value); };
  open_chart(out, name, caption, size.width, static_cast<int>(k_height));
  for (int tick = 0; tick * step <= top_value + 1e-9; ++tick) {
    const double y = y_of(tick * step);
    out << "<line class=\"grid\" x1=\"" << k_left << "\" y1=\"" << coord(y) << "\" x2=\""
        << size.width - k_right << "\" y2=\"" << coord(y) << "\"/><text class=\"axis\" x=\""
        << k_left - 8 << "\" y=\"" << coord(y)
        << "\" text-anchor=\"end\" dominant-baseline=\"middle\">"
        << report_text::format_percent(tick * step, 0) << "</text>\n";
  }
  // Label at most ~12 periods so the axis stays readable.
  const std::size_t every = std::max<std::size_t>(1, (periods.size() + 11) / 12);
  for (std::size_t i = 0; i < periods.size(); ++i) {
    if (i % every == 0 || i + 1 == periods.size()) {
      out << "<text class=\"axis\" x=\"" << coord(x_of(i)) << "\" y=\"" << k_height - k_bottom + 18
          << "\" text-anchor=\"middle\">" << esc(report_text::truncate_text(periods[i], 12))
          << "</text>\n";
    }
  }
  const double radius = periods.size() > 40 ? 1.5 : 3.5;
  for (const Series& s : series) {
    out << "<polyline class=\"line\" stroke=\"" << topic_colour(*s.topic) << "\" points=\"";
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      out << (i == 0 ? "" : " ") << coord(x_of(i)) << "," << coord(y_of(s.values[i]));
    }
    out << "\"><title>" << esc(s.topic->label) << "</title></polyline>\n";
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      out << "<circle class=\"point\" cx=\"" << coord(x_of(i)) << "\" cy=\""
          << coord(y_of(s.values[i])) << "\" r=\"" << coord(radius) << "\" fill=\""
          << topic_colour(*s.topic) << "\"><title>" << esc(s.topic->label) << ", "
          << esc(periods[i]) << ": " << report_text::format_percent(s.values[i])
          << " of calls</title></circle>\n";
    }
  }
  out << "</svg>\n</figure>\n";
}

// ----- tables ----------------------------------------------------------------

// A right-aligned numeric cell that sorts by `sort_value` (empty: sorts last).
std::string num_cell(const std::optional<double>& sort_value, std::string_view text) {
  return "<td class=\"num\" data-sort=\"" + (sort_value ? plain_number(*sort_value) : "") + "\">" +
         esc(text) + "</td>";
}

std::string count_cell(std::uint64_t value) {
  return num_cell(static_cast<double>(value), report_text::format_count(value));
}

std::string percent_cell(const std::optional<double>& share) {
  return num_cell(share, share ? report_text::format_percent(*share) : "n/a");
}

std::string money_cell(const std::optional<double>& value) {
  return num_cell(value, value ? report_text::format_money(*value) : "n/a");
}

void open_table(std::ostream& out, const std::vector<std::pair<std::string, bool>>& headers) {
  out << "<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr>";
  for (const auto& [text, numeric] : headers) {
    out << "<th scope=\"col\"" << (numeric ? " class=\"num\"" : "") << ">" << esc(text) << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
}

void close_table(std::ostream& out) {
  out << "</tbody>\n</table></div>\n";
}

// ----- sections --------------------------------------------------------------

class HtmlReport {
public:
  HtmlReport(std::ostream& out, const Json& summary)
      : m_out(out), m_summary(summary), m_topics(report_text::topic_catalog(summary)),
        m_concerns(report_text::ranked_topics(m_topics, report_text::is_concern_kind)) {}

  void write();

private:
  void write_head();
  void write_header();
  void write_cards();
  void write_concerns();
  void write_concern_mix();
  void write_conversion();
  void write_trends();
  void write_changes();
  void write_alerts();
  void write_sentiment();
  void write_emerging();
  void write_examples();
  void write_journeys();
  void write_tables();
  void write_errors();

  std::string currency_suffix() const {
    const std::string currency =
        report_text::string_at(report_text::object_at(m_summary, "spend"), "currency");
    return currency.empty() ? "" : " (" + currency + ")";
  }

  std::ostream& m_out;
  const Json& m_summary;
  std::vector<TopicInfo> m_topics;
  std::vector<const TopicInfo*> m_concerns; // concern topics with calls, by calls
};

void HtmlReport::write_head() {
  using namespace report_text;
  const Json& generator = object_at(m_summary, "generator");
  m_out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
        << csp_hash(k_style) << "; script-src " << csp_hash(k_script)
        << "; base-uri 'none'; form-action 'none'\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"" << esc(string_at(generator, "name", "callsight"))
        << " " << esc(string_at(generator, "version")) << "\">\n"
        << "<title>Call insights</title>\n<style>" << k_style << "</style>\n</head>\n";
}

void HtmlReport::write_header() {
  using namespace report_text;
  const Json& totals = object_at(m_summary, "totals");
  m_out
      << "<header class=\"top\"><div class=\"wrap\">\n<h1>Call insights</h1>\n<p class=\"facts\">";
  const std::uint64_t failed = count_at(totals, "files_failed");
  m_out << "<span>" << format_count(count_at(totals, "calls")) << " calls analyzed, "
        << format_count(failed) << (failed == 1 ? " file" : " files") << " failed</span>";
  if (const std::optional<PeriodRange> range = period_range(m_summary)) {
    m_out << "<span>" << esc(range->first) << " to " << esc(range->last) << "</span>";
  }
  if (const Json* taxonomy = member(m_summary, "taxonomy"); taxonomy != nullptr) {
    m_out << "<span>taxonomy " << esc(string_at(*taxonomy, "name", "unnamed")) << " ("
          << esc(string_at(*taxonomy, "source", "unknown")) << ")</span>";
  }
  if (const Json* metadata = member(m_summary, "metadata"); metadata != nullptr) {
    m_out << "<span>call log " << esc(string_at(*metadata, "source", "unknown")) << "</span>";
  }
  if (const Json* spend = member(m_summary, "spend"); spend != nullptr) {
    m_out << "<span>spend " << esc(string_at(*spend, "source", "unknown")) << "</span>";
  }
  m_out << "</p>\n<nav class=\"toc\"><a href=\"#concerns\">Concerns</a>";
  if (!array_at(m_summary, "groups").empty()) {
    m_out << "<a href=\"#mix\">Concern mix</a><a href=\"#conversion\">Conversion and cost</a>";
  }
  if (period_range(m_summary)) {
    m_out << "<a href=\"#trends\">Trends</a>";
  }
  if (member(m_summary, "sentiment_by_topic") != nullptr) {
    m_out << "<a href=\"#sentiment\">Sentiment</a>";
  }
  if (member(m_summary, "emerging") != nullptr) {
    m_out << "<a href=\"#emerging\">Emerging phrases</a>";
  }
  if (member(m_summary, "examples") != nullptr) {
    m_out << "<a href=\"#examples\">Examples</a>";
  }
  if (member(m_summary, "journeys") != nullptr) {
    m_out << "<a href=\"#journeys\">Journeys</a>";
  }
  m_out << "<a href=\"#tables\">Tables</a>";
  m_out << "</nav>\n</div></header>\n";
}

void HtmlReport::write_cards() {
  using namespace report_text;
  const Json& totals = object_at(m_summary, "totals");
  const auto card = [&](std::string_view key, const std::string& value, const std::string& sub) {
    m_out << "<div class=\"card\"><div class=\"k\">" << esc(key) << "</div><div class=\"v\">"
          << esc(value) << "</div><div class=\"s\">" << esc(sub) << "</div></div>\n";
  };
  m_out << "<section id=\"summary\" class=\"plain\" aria-label=\"Summary\"><div class=\"cards\">\n";
  card("Calls", format_count(count_at(totals, "calls")),
       format_count(count_at(totals, "words")) + " words");
  if (member(totals, "conversions") != nullptr) {
    const std::optional<double> rate = number_at(totals, "conversion_rate");
    std::string sub = format_count(count_at(totals, "conversions")) + " of " +
                      format_count(count_at(totals, "calls")) + " calls";
    if (const Json* sources = member(totals, "conversion_sources"); sources != nullptr) {
      sub += "; decided by call log " + format_count(count_at(*sources, "call_log")) +
             ", transcript " + format_count(count_at(*sources, "transcript")) + ", unknown " +
             format_count(count_at(*sources, "none"));
    }
    card("Conversion rate", rate ? format_percent(*rate) : "n/a", sub);
  }
  if (const std::optional<double> revenue = number_at(totals, "revenue")) {
    const std::optional<double> per_call = number_at(totals, "revenue_per_call");
    card("Revenue", format_money(*revenue),
         per_call ? "from the call log, " + format_money(*per_call) + " per call with an amount"
                  : "from the call log");
  }
  if (const Json* spend = member(m_summary, "spend"); spend != nullptr) {
    const std::optional<double> total = number_at(*spend, "total");
    card("Spend" + currency_suffix(), total ? format_money(*total) : "n/a",
         "by " + string_at(*spend, "dimension", "group"));
  }
  if (const Json& languages = object_at(totals, "languages"); languages.size() > 1) {
    card("Languages", format_count(languages.size()), language_mix(totals));
  }
  if (!m_concerns.empty()) {
    card("Top concern", format_percent(m_concerns.front()->share), m_concerns.front()->label);
  }
  // Talk figures exist only when some transcripts carry times.
  const Json& talk = object_at(totals, "talk");
  if (const std::optional<double> mean = number_at(talk, "mean_duration_s")) {
    const std::optional<double> agent = number_at(talk, "agent_talk_share");
    card("Mean call length", format_duration(*mean),
         agent ? "agent talks " + format_percent(*agent, 0) + " of the time"
               : "over " + format_count(count_at(talk, "calls_with_times")) + " timed calls");
  }
  // A clean run says so in the header; a partial one gets a card.
  if (const std::uint64_t failed = count_at(totals, "files_failed"); failed > 0) {
    card("Files failed", format_count(failed), "listed at the end");
  }
  m_out << "</div></section>\n";
}

void HtmlReport::write_concerns() {
  using namespace report_text;
  m_out
      << "<section id=\"concerns\">\n<h2>What callers talk about</h2>\n<p class=\"note\">Share of "
         "calls in which each topic was found; one call can raise several.</p>\n<div "
         "class=\"grid2\"><div>\n";
  std::vector<Bar> bars;
  for (const TopicInfo* topic : m_concerns) {
    bars.push_back({topic->label, topic->share, format_percent(topic->share),
                    topic->label + ": " + format_count(topic->calls) + " calls",
                    topic_colour(*topic)});
  }
  write_bar_chart(m_out, k_half, "top-concerns", "Concerns and competitor mentions", bars);
  m_out << "</div><div>\n";
  bars.clear();
  const std::vector<const TopicInfo*> sources =
      ranked_topics(m_topics, [](std::string_view kind) { return kind == "source"; });
  const std::size_t cut = shared_label_prefix(sources).size();
  for (const TopicInfo* topic : sources) {
    bars.push_back({capitalized(topic->label.substr(cut)), topic->share,
                    format_percent(topic->share),
                    topic->label + ": " + format_count(topic->calls) + " calls", k_source_colour});
  }
  write_bar_chart(m_out, k_half, "heard-of-us", "How callers heard of us", bars);
  m_out << "</div></div>\n</section>\n";
}

void HtmlReport::write_concern_mix() {
  using namespace report_text;
  const Json& groups = array_at(m_summary, "groups");
  bool any = false;
  for (const Json& dimension : groups) {
    const std::string name = string_at(dimension, "dimension");
    if (is_time_dimension(name) || array_at(dimension, "values").empty()) {
      continue;
    }
    if (!any) {
      m_out << "<section id=\"mix\">\n<h2>Concern mix by group</h2>\n<p class=\"note\">Each bar "
               "splits a group's concern mentions by topic (100% = all concern mentions in the "
               "group); the figure on the right is the group's number of calls.</p>\n";
      any = true;
    }
    std::vector<StackedBar> bars;
    for (const Json& group : array_at(dimension, "values")) {
      StackedBar bar;
      bar.label = string_at(group, "value");
      const std::uint64_t calls = count_at(group, "calls");
      bar.value_text = format_count(calls) + (calls == 1 ? " call" : " calls");
      // Segments in taxonomy order so colours line up from bar to bar.
      std::vector<const Json*> concerns = group_concerns(group, m_topics);
      std::stable_sort(concerns.begin(), concerns.end(), [&](const Json* a, const Json* b) {
        return find_topic(m_topics, string_at(*a, "id"))->concern_index <
               find_topic(m_topics, string_at(*b, "id"))->concern_index;
      });
      double mentions = 0.0;
      for (const Json* topic : concerns) {
        mentions += static_cast<double>(count_at(*topic, "calls"));
      }
      for (const Json* topic : concerns) {
        const TopicInfo& info = *find_topic(m_topics, string_at(*topic, "id"));
        const std::uint64_t topic_calls = count_at(*topic, "calls");
        bar.segments.push_back({static_cast<double>(topic_calls) / mentions, topic_colour(info),
                                bar.label + ": " + info.label + ", " + format_count(topic_calls) +
                                    " of " + format_count(calls) + " calls (" +
                                    format_percent(number_at(*topic, "share").value_or(0.0)) +
                                    ")"});
      }
      bars.push_back(std::move(bar));
    }
    write_stacked_chart(m_out, "concern-mix-" + name, "Concern mix by " + name, bars);
  }
  if (any) {
    std::vector<const TopicInfo*> legend;
    for (const TopicInfo& topic : m_topics) {
      if (is_concern_kind(topic.kind) && topic.calls > 0) {
        legend.push_back(&topic);
      }
    }
    write_legend(m_out, legend);
    m_out << "</section>\n";
  }
}

void HtmlReport::write_conversion() {
  using namespace report_text;
  bool any = false;
  for (const Json& dimension : array_at(m_summary, "groups")) {
    const std::string name = string_at(dimension, "dimension");
    std::vector<Bar> rates;
    std::vector<Bar> costs;
    for (const Json& group : array_at(dimension, "values")) {
      const std::string value = string_at(group, "value");
      const std::string converted = format_count(count_at(group, "conversions")) + " of " +
                                    format_count(count_at(group, "calls")) + " calls converted";
      if (const std::optional<double> rate = number_at(group, "conversion_rate")) {
        rates.push_back(
            {value, *rate, format_percent(*rate), value + ": " + converted, k_rate_colour});
      }
      if (const std::optional<double> cost = number_at(group, "cost_per_conversion")) {
        costs.push_back(
            {value, *cost, format_money(*cost),
             value + ": " + format_money(*cost) + " per converted call (" + converted + ")",
             k_cost_colour});
      }
    }
    if (rates.empty() && costs.empty()) {
      continue;
    }
    if (!any) {
      m_out << "<section id=\"conversion\">\n<h2>Conversion and cost by group</h2>\n<p "
               "class=\"note\">Conversion rate is over all calls of the group: the call log's "
               "converted value, else a conversion outcome topic in the transcript; cost per "
               "converted call divides the group's spend by its conversions.</p>\n<div "
               "class=\"grid2\">\n";
      any = true;
    }
    // Each chart is one grid cell, so a dimension without spend leaves no hole.
    if (!rates.empty()) {
      m_out << "<div>\n";
      write_bar_chart(m_out, k_half, "conversion-" + name, "Conversion rate by " + name, rates,
                      1.0);
      m_out << "</div>\n";
    }
    if (!costs.empty()) {
      m_out << "<div>\n";
      write_bar_chart(m_out, k_half, "cost-per-conversion-" + name,
                      "Cost per converted call" + currency_suffix() + " by " + name, costs);
      m_out << "</div>\n";
    }
  }
  if (any) {
    m_out << "</div>\n</section>\n";
  }
}

void HtmlReport::write_trends() {
  using namespace report_text;
  std::vector<const TopicInfo*> shown(
      m_concerns.begin(), m_concerns.begin() + static_cast<std::ptrdiff_t>(
                                                   std::min(k_trend_topics, m_concerns.size())));
  bool any = false;
  for (const Json& dimension : array_at(m_summary, "groups")) {
    const std::string name = string_at(dimension, "dimension");
    const std::vector<const Json*> groups = period_values(dimension);
    if (!is_time_dimension(name) || groups.empty() || shown.empty()) {
      continue;
    }
    if (!any) {
      m_out << "<section id=\"trends\" class=\"keep\">\n<h2>Topic trends</h2>\n<p "
               "class=\"note\">Share of each "
               "period's calls that raised the "
            << shown.size() << " most frequent concerns.</p>\n";
      any = true;
    }
    std::vector<std::string> periods;
    std::vector<Series> series;
    for (const TopicInfo* topic : shown) {
      series.push_back({topic, {}});
    }
    for (const Json* group : groups) {
      periods.push_back(string_at(*group, "value"));
      for (Series& s : series) {
        double share = 0.0;
        for (const Json& topic : array_at(*group, "topics")) {
          if (string_at(topic, "id") == s.topic->id) {
            share = number_at(topic, "share").value_or(0.0);
          }
        }
        s.values.push_back(share);
      }
    }
    write_line_chart(m_out, "topic-trends-" + name, "Concerns by " + name, periods, series);
    write_legend(m_out, shown);
  }
  if (any) {
    m_out << "</section>\n";
  }
}

void HtmlReport::write_alerts() {
  using namespace report_text;
  const std::vector<AlertLine> alerts = alert_lines(m_summary, m_topics);
  if (alerts.empty()) {
    return;
  }
  m_out << "<section id=\"alerts\">\n<h2>Alerts</h2>\n";
  open_table(m_out, {{"Topic", false},
                     {"Group", false},
                     {"Before", true},
                     {"Now", true},
                     {"Change (points)", true},
                     {"p-value", true},
                     {"Rule", false}});
  for (const AlertLine& alert : alerts) {
    m_out << "<tr><td>" << esc(alert.label) << "</td><td>"
          << esc(alert.scope.empty() ? "all calls" : alert.scope) << "</td>"
          << percent_cell(alert.previous_share) << percent_cell(alert.current_share)
          << num_cell(alert.change * 100.0, format_points(alert.change))
          << num_cell(alert.p_value, alert.p_value ? format_fixed(*alert.p_value, 4) : "n/a")
          << "<td>" << esc(alert.rule) << "</td></tr>\n";
  }
  close_table(m_out);
  m_out << "</section>\n";
}

void HtmlReport::write_changes() {
  using namespace report_text;
  const std::optional<TopicChanges> changes = topic_changes(m_summary, m_topics);
  if (!changes) {
    return;
  }
  m_out << "<section id=\"changes\">\n<h2>Biggest changes";
  if (!changes->previous.empty() && !changes->current.empty()) {
    m_out << " (" << esc(changes->previous) << " to " << esc(changes->current) << ")";
  }
  m_out << "</h2>\n";
  if (changes->topics.empty()) {
    m_out << "<p>No topic moved between the two periods.</p>\n</section>\n";
    return;
  }
  open_table(m_out, {{"Topic", false}, {"Before", true}, {"Now", true}, {"Change (points)", true}});
  for (const TopicChange& change : changes->topics) {
    m_out << "<tr><td>" << esc(change.label) << "</td>" << percent_cell(change.previous_share)
          << percent_cell(change.current_share)
          << num_cell(change.change * 100.0, format_points(change.change)) << "</tr>\n";
  }
  close_table(m_out);
  m_out << "</section>\n";
}

void HtmlReport::write_sentiment() {
  using namespace report_text;
  const Json* entries = member(m_summary, "sentiment_by_topic");
  if (entries == nullptr || !entries->is_array()) {
    return;
  }
  struct Row {
    std::string label;
    double mean;
    const Json* entry;
  };
  std::vector<Row> rows;
  for (const Json& entry : *entries) {
    if (const std::optional<double> mean = number_at(entry, "customer_mean")) {
      const std::string id = string_at(entry, "id", string_at(entry, "topic"));
      rows.push_back({topic_label(m_topics, id), std::clamp(*mean, -1.0, 1.0), &entry});
    }
  }
  m_out << "<section id=\"sentiment\" class=\"keep\">\n<h2>Customer sentiment by topic</h2>\n<p "
           "class=\"note\">Mean sentiment of the customer's turns in calls with each topic, "
           "from -1 (negative) to +1 (positive).</p>\n";
  if (rows.empty()) {
    m_out << "<p>No sentiment figures in this run.</p>\n</section>\n";
    return;
  }
  // Most negative first: those are the topics that hurt.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.mean < b.mean; });
  const int height = static_cast<int>(rows.size()) * k_row_height + 12;
  const ChartSize& size = k_wide;
  const double center = size.label + size.bar_area() / 2.0;
  open_chart(m_out, "sentiment-by-topic", "Customer sentiment by topic", size.width, height);
  m_out << "<line class=\"base\" x1=\"" << coord(center) << "\" y1=\"2\" x2=\"" << coord(center)
        << "\" y2=\"" << height - 2 << "\"/>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double top = 6.0 + static_cast<double>(i) * k_row_height;
    const double middle = top + k_bar_height / 2.0;
    // Room is kept at both ends for the value text beside the bar.
    const double width = std::fabs(row.mean) * (size.bar_area() / 2.0 - 50.0);
    const std::string text = (row.mean > 0 ? "+" : "") + format_fixed(row.mean, 2);
    write_row_label(m_out, size, row.label, middle);
    m_out << "<rect class=\"bar\" x=\"" << coord(row.mean < 0 ? center - width : center)
          << "\" y=\"" << coord(top) << "\" width=\"" << coord(width) << "\" height=\""
          << k_bar_height << "\" fill=\"" << (row.mean < 0 ? k_negative_colour : k_positive_colour)
          << "\"><title>" << esc(row.label) << ": " << text;
    if (member(*row.entry, "calls") != nullptr) {
      m_out << " over " << format_count(count_at(*row.entry, "calls")) << " calls";
    }
    m_out << "</title></rect>\n<text class=\"value\" x=\""
          << coord(row.mean < 0 ? center - width - 6 : center + width + 6) << "\" y=\""
          << coord(middle) << "\" text-anchor=\"" << (row.mean < 0 ? "end" : "start")
          << "\" dominant-baseline=\"middle\">" << text << "</text>\n";
  }
  m_out << "</svg>\n</figure>\n</section>\n";
}

void HtmlReport::write_emerging() {
  using namespace report_text;
  const Json* entries = member(m_summary, "emerging");
  if (entries == nullptr || !entries->is_array()) {
    return;
  }
  m_out << "<section id=\"emerging\">\n<h2>Emerging phrases</h2>\n<p class=\"note\">Phrases "
           "said more often than in the baseline; growth is the current share over the baseline "
           "share.</p>\n";
  if (entries->empty()) {
    m_out << "<p>No emerging phrases in this run.</p>\n</section>\n";
    return;
  }
  std::vector<Bar> bars;
  for (const Json& entry : *entries) {
    if (bars.size() == k_emerging_bars) {
      break;
    }
    const std::string phrase = string_at(entry, "phrase");
    const std::uint64_t calls = count_at(entry, "calls");
    bars.push_back({phrase, static_cast<double>(calls),
                    format_count(calls) + (calls == 1 ? " call" : " calls"),
                    phrase + ": " + format_count(calls) + " calls", k_palette[6]});
  }
  write_bar_chart(m_out, k_wide, "emerging-phrases", "Emerging phrases by calls", bars);
  open_table(m_out, {{"Phrase", false}, {"Calls", true}, {"Share", true}, {"Growth", true}});
  for (const Json& entry : *entries) {
    const std::optional<double> growth = number_at(entry, "growth");
    m_out << "<tr><td>" << esc(string_at(entry, "phrase")) << "</td>"
          << count_cell(count_at(entry, "calls")) << percent_cell(number_at(entry, "share"))
          << num_cell(growth, growth ? format_fixed(*growth, 1) + "\u00d7" : "n/a") << "</tr>\n";
  }
  close_table(m_out);
  m_out << "</section>\n";
}

// Seconds as m:ss or h:mm:ss; strings are shown as given.
std::string call_time(const Json& entry) {
  const std::optional<double> seconds = report_text::number_at(entry, "time");
  return seconds ? report_text::format_duration(*seconds) : report_text::string_at(entry, "time");
}

void HtmlReport::write_examples() {
  using namespace report_text;
  const Json* entries = member(m_summary, "examples");
  if (entries == nullptr || !entries->is_array()) {
    return;
  }
  m_out << "<section id=\"examples\">\n<h2>Example snippets</h2>\n<p class=\"note\">What callers "
           "said, with personal data redacted; file and time point to the transcript.</p>\n";
  if (entries->empty()) {
    m_out << "<p>No examples in this run.</p>\n";
  }
  // Grouped by topic in order of first appearance.
  std::vector<std::string> order;
  for (const Json& entry : *entries) {
    const std::string topic = string_at(entry, "topic");
    if (std::find(order.begin(), order.end(), topic) == order.end()) {
      order.push_back(topic);
    }
  }
  std::size_t shown = 0;
  for (const std::string& topic : order) {
    m_out << "<h3>" << esc(topic.empty() ? "Other" : topic_label(m_topics, topic)) << "</h3>\n";
    for (const Json& entry : *entries) {
      if (string_at(entry, "topic") != topic || shown == k_examples) {
        continue;
      }
      ++shown;
      m_out << "<blockquote class=\"snippet\"><p>\u201c" << esc(string_at(entry, "snippet"))
            << "\u201d</p><footer>" << esc(string_at(entry, "file", "unknown file"));
      if (const std::string time = call_time(entry); !time.empty()) {
        m_out << " at " << esc(time);
      }
      m_out << "</footer></blockquote>\n";
    }
  }
  m_out << "</section>\n";
}

// Caller journeys (--caller-key): repeat rate by first channel, then tables.
void HtmlReport::write_journeys() {
  using namespace report_text;
  const Json* journeys = member(m_summary, "journeys");
  if (journeys == nullptr || !journeys->is_object()) {
    return;
  }
  const Json& j = *journeys;
  m_out << "<section id=\"journeys\">\n<h2>Caller journeys</h2>\n<p class=\"note\">"
        << format_count(count_at(j, "callers")) << " callers linked by "
        << esc(string_at(j, "caller_key", "a caller key")) << " (hashed, never shown) over "
        << format_count(count_at(j, "calls")) << " calls; "
        << format_count(count_at(j, "repeat_callers")) << " called more than once, "
        << format_count(count_at(j, "converted")) << " converted, "
        << format_count(count_at(j, "cancelled")) << " cancelled.</p>\n";
  std::vector<Bar> bars;
  for (const Json& row : array_at(j, "repeat_by_channel")) {
    const std::string channel = string_at(row, "channel");
    const double rate = number_at(row, "repeat_rate").value_or(0.0);
    bars.push_back({channel, rate, format_percent(rate),
                    channel + ": " + format_count(count_at(row, "repeat_callers")) + " of " +
                        format_count(count_at(row, "callers")) + " callers called again",
                    k_rate_colour});
  }
  write_bar_chart(m_out, k_wide, "journey-repeat-rate", "Repeat-caller rate by first channel", bars,
                  1.0);

  const Json& depth = object_at(j, "calls_to_conversion");
  m_out << "<h3>Calls up to the conversion, by first touch</h3>\n";
  open_table(m_out, {{"First touch", false},
                     {"Converted", true},
                     {"1", true},
                     {"2", true},
                     {"3", true},
                     {"4+", true}});
  const auto depth_row = [&](const std::string& name, const Json& row) {
    const Json& calls = object_at(row, "calls");
    m_out << "<tr><td>" << esc(name) << "</td>" << count_cell(count_at(row, "converted"));
    for (const char* bucket : {"1", "2", "3", "4+"}) {
      m_out << count_cell(count_at(calls, bucket));
    }
    m_out << "</tr>\n";
  };
  depth_row("All", object_at(depth, "all"));
  for (const Json& row : array_at(depth, "by_first_touch")) {
    depth_row(string_at(row, "first_touch"), row);
  }
  close_table(m_out);

  for (const auto& [key, what] :
       {std::pair<const char*, const char*>{"before_conversion", "conversion"},
        {"before_cancellation", "cancellation"}}) {
    const Json& event = object_at(j, key);
    m_out << "<h3>Raised on the call before a " << what << "</h3>\n<p class=\"note\">"
          << format_count(count_at(event, "calls_before")) << " of "
          << format_count(count_at(event, "events")) << " journeys had a call before the " << what
          << ". Lift: share on those calls over share on all linked calls. Topics on "
          << "fewer than " << count_at(event, "min_calls") << " such calls left out ("
          << format_count(count_at(event, "topics_suppressed")) << ").</p>\n";
    open_table(
        m_out,
        {{"Topic", false}, {"Calls", true}, {"Share", true}, {"Base share", true}, {"Lift", true}});
    for (const Json& topic : array_at(event, "topics")) {
      const std::optional<double> lift = number_at(topic, "lift");
      m_out << "<tr><td>" << esc(topic_label(m_topics, string_at(topic, "id"))) << "</td>"
            << count_cell(count_at(topic, "calls")) << percent_cell(number_at(topic, "share"))
            << percent_cell(number_at(topic, "base_share"))
            << num_cell(lift, lift ? format_fixed(*lift, 2) + "\u00d7" : "n/a") << "</tr>\n";
    }
    close_table(m_out);
  }

  m_out << "<h3>First and last touch of converted journeys</h3>\n";
  open_table(m_out,
             {{"First touch", false}, {"Last touch", false}, {"Journeys", true}, {"Share", true}});
  for (const Json& row : array_at(j, "first_last_touch")) {
    m_out << "<tr><td>" << esc(string_at(row, "first_touch")) << "</td><td>"
          << esc(string_at(row, "last_touch")) << "</td>" << count_cell(count_at(row, "journeys"))
          << percent_cell(number_at(row, "share")) << "</tr>\n";
  }
  close_table(m_out);
  m_out << "<h3>Channel roles</h3>\n";
  open_table(m_out,
             {{"Channel", false}, {"First touch", true}, {"Follow-up", true}, {"Closer", true}});
  for (const Json& row : array_at(j, "channel_roles")) {
    m_out << "<tr><td>" << esc(string_at(row, "channel")) << "</td>"
          << count_cell(count_at(row, "first_touch")) << count_cell(count_at(row, "follow_up"))
          << count_cell(count_at(row, "closer")) << "</tr>\n";
  }
  close_table(m_out);

  const Json& gaps = object_at(j, "time_between_calls");
  const Json& histogram = object_at(gaps, "histogram");
  const auto hours = [&](std::string_view key) {
    const std::optional<double> value = number_at(gaps, key);
    return value ? format_fixed(*value, 1) + " h" : std::string("n/a");
  };
  m_out << "<h3>Time between calls</h3>\n<p>" << format_count(count_at(gaps, "gaps"))
        << " gaps between calls of the same caller: median " << esc(hours("median_hours"))
        << ", 90th percentile " << esc(hours("p90_hours")) << ".</p>\n";
  open_table(m_out, {{"Gap", false}, {"Gaps", true}});
  for (const auto& [key, label] :
       {std::pair<const char*, const char*>{"under_1_day", "under 1 day"},
        {"1_to_7_days", "1-7 days"},
        {"7_to_30_days", "7-30 days"},
        {"30_days_or_more", "30 days or more"}}) {
    m_out << "<tr><td>" << label << "</td>" << count_cell(count_at(histogram, key)) << "</tr>\n";
  }
  close_table(m_out);
  m_out << "</section>\n";
}

void HtmlReport::write_tables() {
  using namespace report_text;
  m_out << "<section id=\"tables\">\n<h2>Tables</h2>\n<p class=\"note\">Click a column header to "
           "sort.</p>\n<h3>All topics</h3>\n";
  // Conversion rate of the calls carrying each topic, and its lift over the
  // rate of all calls.
  open_table(m_out, {{"Topic", false},
                     {"Kind", false},
                     {"Calls", true},
                     {"Share", true},
                     {"Hits", true},
                     {"Converted", true},
                     {"Conversion rate", true},
                     {"Lift", true}});
  for (const Json& topic : array_at(m_summary, "topics")) {
    const std::optional<double> lift = number_at(topic, "conversion_lift");
    m_out << "<tr><td>" << esc(string_at(topic, "label", string_at(topic, "id"))) << "</td><td>"
          << esc(string_at(topic, "kind")) << "</td>" << count_cell(count_at(topic, "calls"))
          << percent_cell(number_at(topic, "share")) << count_cell(count_at(topic, "hits"))
          << count_cell(count_at(topic, "conversions"))
          << percent_cell(number_at(topic, "conversion_rate"))
          << num_cell(lift, lift ? format_fixed(*lift, 2) + "\u00d7" : "n/a") << "</tr>\n";
  }
  close_table(m_out);
  const Json& groups = array_at(m_summary, "groups");
  for (const Json& dimension : groups) {
    const std::string name = string_at(dimension, "dimension");
    const Json& values = array_at(dimension, "values");
    const auto has = [&](std::string_view key) {
      return std::any_of(values.begin(), values.end(),
                         [&](const Json& g) { return member(g, key) != nullptr; });
    };
    const bool with_conversions = has("conversions");
    const bool with_log = has("revenue");
    const bool with_spend = has("spend");
    const bool with_languages = object_at(object_at(m_summary, "totals"), "languages").size() > 1;
    std::vector<std::pair<std::string, bool>> headers = {
        {name.empty() ? "Group" : capitalized(name), false}, {"Calls", true}};
    if (with_conversions) {
      headers.insert(headers.end(), {{"Converted", true}, {"Rate", true}});
    }
    if (with_log) {
      headers.insert(headers.end(), {{"Revenue", true}, {"Revenue/call", true}});
    }
    if (with_spend) {
      headers.insert(headers.end(),
                     {{"Spend", true}, {"Cost/call", true}, {"Cost/conversion", true}});
    }
    if (with_languages) {
      headers.push_back({"Languages", false});
    }
    headers.push_back({"Top concern", false});
    m_out << "<h3>By " << esc(name) << "</h3>\n";
    open_table(m_out, headers);
    for (const Json& group : values) {
      m_out << "<tr><td>" << esc(string_at(group, "value")) << "</td>"
            << count_cell(count_at(group, "calls"));
      if (with_conversions) {
        m_out << count_cell(count_at(group, "conversions"))
              << percent_cell(number_at(group, "conversion_rate"));
      }
      if (with_log) {
        m_out << money_cell(number_at(group, "revenue"))
              << money_cell(number_at(group, "revenue_per_call"));
      }
      if (with_spend) {
        m_out << money_cell(number_at(group, "spend"))
              << money_cell(number_at(group, "cost_per_call"))
              << money_cell(number_at(group, "cost_per_conversion"));
      }
      if (with_languages) {
        m_out << "<td>" << esc(language_mix(group)) << "</td>";
      }
      const std::vector<const Json*> concerns = group_concerns(group, m_topics);
      m_out << "<td>";
      if (!concerns.empty()) {
        m_out << esc(topic_label(m_topics, string_at(*concerns[0], "id"))) << " ("
              << format_percent(number_at(*concerns[0], "share").value_or(0.0), 0) << ")";
      }
      m_out << "</td></tr>\n";
    }
    close_table(m_out);
  }
  m_out << "</section>\n";
}

void HtmlReport::write_errors() {
  using namespace report_text;
  const Json& errors = array_at(m_summary, "errors");
  if (errors.empty()) {
    return;
  }
  m_out << "<section id=\"errors\">\n<h2>Files not analyzed</h2>\n";
  open_table(m_out, {{"File", false}, {"Reason", false}});
  for (std::size_t i = 0; i < errors.size() && i < k_errors_listed; ++i) {
    m_out << "<tr><td>" << esc(string_at(errors[i], "file")) << "</td><td>"
          << esc(string_at(errors[i], "reason")) << "</td></tr>\n";
  }
  close_table(m_out);
  if (errors.size() > k_errors_listed) {
    m_out << "<p class=\"note\">and " << format_count(errors.size() - k_errors_listed)
          << " more in the JSON report.</p>\n";
  }
  m_out << "</section>\n";
}

void HtmlReport::write() {
  using namespace report_text;
  write_head();
  m_out << "<body>\n";
  write_header();
  m_out << "<main class=\"wrap\">\n";
  write_cards();
  write_concerns();
  write_alerts();
  write_changes();
  write_concern_mix();
  write_conversion();
  write_trends();
  write_sentiment();
  write_emerging();
  write_examples();
  write_journeys();
  write_tables();
  write_errors();
  const Json& generator = object_at(m_summary, "generator");
  m_out << "</main>\n<footer class=\"bottom\">Generated by "
        << esc(string_at(generator, "name", "callsight")) << " "
        << esc(string_at(generator, "version")) << ", summary schema "
        << esc(string_at(m_summary, "schema_version", "?")) << ".</footer>\n<script>" << k_script
        << "</script>\n</body>\n</html>\n";
}

} // namespace

void write_html_report(std::ostream& out, const nlohmann::ordered_json& summary) {
  HtmlReport(out, summary).write();
}

} // namespace callsight
