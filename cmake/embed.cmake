# Write a text file into a C source as a NUL-terminated array, so that the
# library carries it (models/reference.yaml: the calibrated reference that
# `winterflow init` starts from and `validate` compares with).
#   cmake -DIN=file -DOUT=file.c -DNAME=symbol -DSHOWN=path -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
# a line break every 24 bytes keeps the file readable by tools
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" body "${body}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${SHOWN} by cmake/embed.cmake at build time: do not edit. */\n"
  "#include <stddef.h>\n"
  "const char ${NAME}[] = {\n${body}0x00};\n"
  "const size_t ${NAME}_len = ${bytes};\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
