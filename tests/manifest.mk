# tests/manifest.mk — the deploy manifest suite (tests/test_manifest.c: units, every validation
# rule with its text, the shipped networks, the canonical hash) and its ASan/UBSan variant.
# Also brings in the deploy tool's build rules. Included by the root Makefile.

include deploy/deploy.mk

HOST_TESTS += test_manifest

$(BUILD)/tests/test_manifest: tests/test_manifest.c $(DEP_LIB_OBJS) $(DEP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -o $@ tests/test_manifest.c $(DEP_LIB_OBJS) -lcriterion $(DEP_LDLIBS)

$(BUILD)/tests-asan/test_manifest: tests/test_manifest.c $(DEP_LIB_SRCS) $(DEP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(DEP_CFLAGS) -O1 $(SANITIZE) -o $@ tests/test_manifest.c $(DEP_LIB_SRCS) \
		-lcriterion $(DEP_LDLIBS)

test-manifest: $(BUILD)/tests/test_manifest $(BUILD)/bin/cdp-deploy
	$(BUILD)/tests/test_manifest --jobs 2

test-manifest-asan: $(BUILD)/tests-asan/test_manifest $(BUILD)/bin/cdp-deploy
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(BUILD)/tests-asan/test_manifest --jobs 2

HOST_TEST_TARGETS += test-manifest
HOST_ASAN_TARGETS += test-manifest-asan
.PHONY: test-manifest test-manifest-asan
