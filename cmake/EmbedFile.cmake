# callsight_embed_file(INPUT OUTPUT NAMESPACE SYMBOL): generates a .cpp defining
# `extern const std::string_view SYMBOL` in NAMESPACE with the file's bytes, so the
# default taxonomy ships inside the binary and `analyze` works with no config.
function(callsight_embed_file input output ns symbol)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DNS=${ns} -DSYMBOL=${symbol}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedFileScript.cmake
    DEPENDS ${input} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedFileScript.cmake
    COMMENT "Embedding ${input}")
endfunction()
