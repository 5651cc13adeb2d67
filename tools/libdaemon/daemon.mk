# How a dom0 daemon is built (tools/xenconsoled, backends/blkback,
# backends/netback): its own files and libdaemon's, compiled into its object
# directory, and its Check unit tests.  The daemon's Makefile sets first:
#
#   LIBDAEMON           this directory, relative to the daemon's
#   BIN OBJDIR SRCS     the daemon and its sources
#   ALL_CFLAGS LIBS     how to compile and link them
#   UNITBIN UNITDIR UNIT_SRCS UNIT_CFLAGS
#                       the unit tests: test_*.c and the shipped files under
#                       test (run under ASan and UBSan, added here)
#   UNIT_LIBDAEMON      libdaemon files the tests need (optional)
#
# and gets $(OBJS), $(UNIT_OBJS), $(LIBDAEMON_FILES) (for cppcheck) and the
# targets $(BIN), $(UNITBIN), unit and clean.

LIBDAEMON_SRCS  := daemon.c msg.c xs.c parse.c
LIBDAEMON_FILES := $(addprefix $(LIBDAEMON)/,$(LIBDAEMON_SRCS))
OBJS      := $(addprefix $(OBJDIR)/,$(SRCS:.c=.o) $(addprefix libdaemon/,$(LIBDAEMON_SRCS:.c=.o)))
UNIT_OBJS := $(addprefix $(UNITDIR)/,$(UNIT_SRCS:.c=.o) \
                                     $(addprefix libdaemon/,$(UNIT_LIBDAEMON:.c=.o)))

SAN          := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(LIBDAEMON) -MMD -MP -c -o $@ $<

$(OBJDIR)/libdaemon/%.o: $(LIBDAEMON)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LIBS)

$(UNITDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(SAN) $(CHECK_CFLAGS) -I$(LIBDAEMON) -MMD -MP -c -o $@ $<

$(UNITDIR)/libdaemon/%.o: $(LIBDAEMON)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(UNITBIN): $(UNIT_OBJS)
	$(CC) $(UNIT_CFLAGS) $(SAN) -o $@ $(UNIT_OBJS) $(CHECK_LIBS)

unit: $(UNITBIN)
	@CK_FORK=yes ASAN_OPTIONS=detect_leaks=1 $(UNITBIN)

clean:
	rm -rf $(OBJDIR) $(UNITDIR) $(BIN)

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
