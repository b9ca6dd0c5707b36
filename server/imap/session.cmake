# The IMAP session and its commands (included from CMakeLists.txt).
find_package(ZLIB REQUIRED) # COMPRESS=DEFLATE (RFC 4978)
add_library(mailroom_imap STATIC
  session.h session.cpp sessionauth.cpp sessionidle.cpp deflate.h deflate.cpp
  server.h server.cpp
  mailboxview.h mailboxview.cpp
  searchrun.h searchrun.cpp
  commands.h commands.cpp flags.cpp
  cmd_capability.cpp cmd_noop.cpp cmd_logout.cpp cmd_id.cpp cmd_starttls.cpp cmd_login.cpp
  cmd_authenticate.cpp cmd_enable.cpp cmd_namespace.cpp cmd_idle.cpp cmd_status.cpp cmd_select.cpp
  cmd_create.cpp cmd_delete.cpp cmd_rename.cpp cmd_subscribe.cpp cmd_list.cpp cmd_quota.cpp
  cmd_close.cpp cmd_expunge.cpp cmd_append.cpp cmd_store.cpp cmd_copy.cpp cmd_search.cpp cmd_sort.cpp
  cmd_fetch.cpp cmd_compress.cpp
)
target_link_libraries(mailroom_imap PUBLIC mailroom_imapparser mailroom_imapfetch mailroom_imapsearch
  mailroom_net mailroom_auth mailroom_store mailroom_config mailroom_base Qt6::Network Qt6::Concurrent
  ZLIB::ZLIB)
