# SEARCH key parsing and matching, SORT and THREAD (server/imap/search).
mailroom_add_unit_test(tst_imapsearch SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_imapsearch.cpp LIBS mailroom_imapsearch)
mailroom_add_unit_test(tst_imapsort SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_imapsort.cpp LIBS mailroom_imapsearch)
mailroom_add_unit_test(tst_imapmatcher SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_imapmatcher.cpp LIBS mailroom_imapsearch)
mailroom_add_unit_test(tst_imapthread SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tst_imapthread.cpp LIBS mailroom_imapsearch)
