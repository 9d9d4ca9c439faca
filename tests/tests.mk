# Per-test extra sources and libraries for SDK tests (TEST_SRCS_<name>, TEST_LIBS_<name>).
# test_json cross-checks the reader against jansson.
TEST_LIBS_test_json := -ljansson
# test_stable_token links the whole contract (natively, with the mock).
TEST_SRCS_test_stable_token := $(sort $(wildcard contracts/stable_token/*.c))
