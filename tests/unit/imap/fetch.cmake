# FETCH rendering (server/imap/fetch): wire strings, ENVELOPE, BODYSTRUCTURE,
# sections, partials, BINARY and fetch-att parsing.
mailroom_add_unit_test(tst_imapfetch SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_imapfetch.cpp LIBS mailroom_imapfetch)
