# SPDX-License-Identifier: GPL-2.0-or-later
# kfollow - follow a syscall into the kernel with ftrace's function_graph.
#
#   make            build ./kfollow
#   make check      install test dependencies, run every test
#   make demo       install dependencies, show a real call tree
#   make install    install to $(DESTDIR)$(prefix)
#   make help       list all targets
#
# V=1 shows full commands.

PKG_CONFIG ?= pkg-config
prefix ?= /usr/local
PREFIX ?= $(prefix)
bindir ?= $(PREFIX)/bin
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
pkgdatadir ?= $(datadir)/kfollow
# where bash-completion loads a command's completion from on first use
bashcompdir ?= $(datadir)/bash-completion/completions
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla
BUILD ?= build

# pkg-config is asked lazily (=, not :=) so "make check" can install the
# libraries first and still build in the same invocation's sub-make.
TRACE_CFLAGS = $(shell $(PKG_CONFIG) --cflags libtracefs libtraceevent libtracecmd libbpf zlib 2>/dev/null)
TRACE_LIBS = $(shell $(PKG_CONFIG) --libs libtracefs libtraceevent libtracecmd libbpf zlib 2>/dev/null)
CURSES_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS = -std=gnu11 $(WARNINGS) -Iinclude -D_GNU_SOURCE \
	-DKF_PKGDATADIR='"$(pkgdatadir)"' $(TRACE_CFLAGS) $(CFLAGS)

ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-7s %s\n'
endif

# src/ is the core (never ncurses); ui/ is the TUI.  Files in ui/ whose name
# starts with "tui" draw with ncurses; the rest of ui/ (the view model) is
# plain C that unit tests link without a terminal.
# src/vm/: VM mode, in parts (kernels, initramfs, qemu)
CORE_SRCS = $(filter-out src/main.c,$(wildcard src/*.c)) $(wildcard src/vm/*.c)
UI_SRCS = $(wildcard ui/*.c)
UI_CURSES_SRCS = $(filter ui/tui%.c,$(UI_SRCS))
UI_MODEL_SRCS = $(filter-out $(UI_CURSES_SRCS),$(UI_SRCS))
CORE_OBJS = $(CORE_SRCS:%.c=$(BUILD)/%.o)
UI_MODEL_OBJS = $(UI_MODEL_SRCS:%.c=$(BUILD)/%.o)
UI_CURSES_OBJS = $(UI_CURSES_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS = $(wildcard tests/unit/test_*.c)
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check check-quick check-unit check-build unit-tests demo install uninstall clean help \
	deps deps-check deps-demo bench fuzz lint

all: kfollow

kfollow: $(BUILD)/src/main.o $(BUILD)/libkfcore.a $(BUILD)/libkfui.a
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/src/main.o $(BUILD)/libkfui.a \
		$(BUILD)/libkfcore.a $(TRACE_LIBS) $(CURSES_LIBS) $(LDFLAGS)

# the same binary inside BUILD (the sanitizer tests: BUILD=build-san)
$(BUILD)/kfollow: $(BUILD)/src/main.o $(BUILD)/libkfcore.a $(BUILD)/libkfui.a
	$(say) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(BUILD)/src/main.o $(BUILD)/libkfui.a \
		$(BUILD)/libkfcore.a $(TRACE_LIBS) $(CURSES_LIBS) $(LDFLAGS)

$(BUILD)/libkfcore.a: $(CORE_OBJS)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libkfui.a: $(UI_MODEL_OBJS) $(UI_CURSES_OBJS)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/ui/tui%.o: ui/tui%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libkfcore.a $(UI_MODEL_OBJS)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -MMD -MP -o $@ $< \
		$(UI_MODEL_OBJS) $(BUILD)/libkfcore.a $(CMOCKA_LIBS) $(TRACE_LIBS) $(LDFLAGS) \
		$(TEST_LDFLAGS)

# test_input cuts the file it reads at the moment the parser starts
# (its own variable: the sanitizer run sets LDFLAGS on the command line)
$(BUILD)/tests/test_input: TEST_LDFLAGS = -Wl,--wrap=kf_capfile_parse

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- set-up ---------------------------------------------------------------
# Each target installs what it needs (Debian: apt-get) when it is missing.
deps:
	$(Q)tests/install-deps build
deps-demo:
	$(Q)tests/install-deps demo
deps-check:
	$(Q)tests/install-deps check

# --- tests ----------------------------------------------------------------
check: deps-check
	$(Q)$(MAKE) --no-print-directory check-build
	$(Q)tests/run-all

check-build: kfollow $(TEST_BINS)

# the fast tier: no root, tracefs or VM (unit, sanitizers, golden output,
# command line, TUI screens, fuzz regressions); a couple of minutes
check-quick: deps-check
	$(Q)$(MAKE) --no-print-directory -j$$(nproc) check-build
	$(Q)tests/run-all --quick

unit-tests: $(TEST_BINS)

check-unit: kfollow $(TEST_BINS)
	$(Q)tests/run-all --unit-only

# --- demo -----------------------------------------------------------------
demo: deps-demo
	$(Q)$(MAKE) --no-print-directory kfollow
	$(Q)tests/demo

# the TUI's view model on generated and real captures (this machine), then
# the tracers side by side in one VM boot
bench: deps-check
	$(Q)$(MAKE) --no-print-directory kfollow $(BUILD)/view-bench
	$(Q)tests/bench/view $(BUILD)/view-bench
	$(Q)tests/bench/run

$(BUILD)/view-bench: tests/bench/view-bench.c $(BUILD)/libkfcore.a $(UI_MODEL_OBJS)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -O2 -MMD -MP -o $@ $< $(UI_MODEL_OBJS) \
		$(BUILD)/libkfcore.a $(TRACE_LIBS) $(LDFLAGS)

fuzz: deps-check
	$(Q)tests/fuzz/run

lint:
	$(Q)groff -man -ww -z man/kfollow.1 man/kfollow-preset.5 man/kfollow-capture.5 \
		man/kfollow-labs.7

# --- install --------------------------------------------------------------
install: kfollow
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 \
		$(DESTDIR)$(mandir)/man5 $(DESTDIR)$(mandir)/man7 \
		$(DESTDIR)$(pkgdatadir)/presets
	install -m 0755 kfollow $(DESTDIR)$(bindir)/kfollow
	install -m 0644 man/kfollow.1 $(DESTDIR)$(mandir)/man1/kfollow.1
	install -m 0644 man/kfollow-preset.5 man/kfollow-capture.5 \
		$(DESTDIR)$(mandir)/man5/
	install -m 0644 man/kfollow-labs.7 $(DESTDIR)$(mandir)/man7/kfollow-labs.7
	install -m 0644 presets/*.preset presets/explain.tsv \
		$(DESTDIR)$(pkgdatadir)/presets/
	install -m 0644 man/kfollow-capture.schema.json $(DESTDIR)$(pkgdatadir)/
	install -d $(DESTDIR)$(bashcompdir)
	install -m 0644 ui/kfollow.bash $(DESTDIR)$(bashcompdir)/kfollow

uninstall:
	rm -f $(DESTDIR)$(bindir)/kfollow $(DESTDIR)$(mandir)/man1/kfollow.1 \
		$(DESTDIR)$(mandir)/man5/kfollow-preset.5 \
		$(DESTDIR)$(mandir)/man5/kfollow-capture.5 \
		$(DESTDIR)$(mandir)/man7/kfollow-labs.7 \
		$(DESTDIR)$(bashcompdir)/kfollow
	rm -rf $(DESTDIR)$(pkgdatadir)

clean:
	rm -rf $(BUILD) kfollow tests/out

help:
	@echo 'kfollow make targets:'
	@echo '  all        build ./kfollow (default)'
	@echo '  check      install test dependencies (apt-get), run unit tests,'
	@echo '             sanitizer runs, degraded-mode tests and real-kernel'
	@echo '             tests in qemu on Debian 6.1, 6.12 and 7.x kernels'
	@echo '  check-unit build and run the unit tests only'
	@echo '  check-quick the fast tier: no root, tracefs or VM (a couple of minutes)'
	@echo '  demo       install dependencies and show a real openat call tree'
	@echo '             (in a qemu VM when this kernel refuses function_graph)'
	@echo '  bench      compare kfollow with trace-cmd, perf ftrace and a'
	@echo '             trace_pipe script in one VM; time the TUI view model'
	@echo '  fuzz       run the fuzz harnesses for a set time'
	@echo '  lint       check the man pages with groff'
	@echo '  install    install to $$(DESTDIR)$$(prefix) (prefix=$(prefix))'
	@echo '  uninstall  remove what install put there'
	@echo '  clean      remove build output'
	@echo 'Variables: CC CFLAGS PKG_CONFIG prefix DESTDIR V=1'
