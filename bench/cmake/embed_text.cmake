# Turns a text file into a C++ raw string literal: cmake -DIN=... -DOUT=... -P embed_text.cmake
# Used to embed bench/wordfreq_en.txt into callsight_gen_corpus.
file(READ "${IN}" content)
string(FIND "${content}" ")cswf\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )cswf\"")
endif()
file(WRITE "${OUT}.tmp" "R\"cswf(${content})cswf\"\n")
file(RENAME "${OUT}.tmp" "${OUT}")
