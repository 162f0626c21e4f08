# Turns a text file into C++ raw string literals of at most 60,000 characters
# each (compilers need only support 65,536), one per line, comma-separated, to
# be #included into an array initializer and concatenated at run time:
#   cmake -DIN=file.txt -DOUT=file.inc -P embed_text.cmake
# Used to embed bench/wordfreq_en.txt into callsight_gen_corpus.
file(READ "${IN}" content)
string(FIND "${content}" ")cswf\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )cswf\"")
endif()
string(LENGTH "${content}" len)
set(out "")
set(pos 0)
while(pos LESS len)
  string(SUBSTRING "${content}" ${pos} 60000 part)
  string(APPEND out "R\"cswf(${part})cswf\",\n")
  math(EXPR pos "${pos} + 60000")
endwhile()
file(WRITE "${OUT}.tmp" "${out}")
file(RENAME "${OUT}.tmp" "${OUT}")
