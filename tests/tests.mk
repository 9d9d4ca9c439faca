# Per-test extra sources and libraries for SDK tests (TEST_SRCS_<name>, TEST_LIBS_<name>).
# test_json cross-checks the reader against jansson.
TEST_LIBS_test_json := -ljansson
