# splitvisor — top-level build.
#
#   make run      set up, build the ISO and boot dom0 to its shell in QEMU (FIRMWARE=bios|uefi)
#   make test     set up, build, run the unit and integration tests
#
# Everything is built under build/.

BUILD     ?= build
FIRMWARE  ?= bios
ISO       := $(BUILD)/splitvisor.iso
HV_ELF    := $(BUILD)/hypervisor/splitvisor.elf
CMDLINE   ?= loglvl=info
DOM0_CMDLINE ?= console=hvc0 nr_cpus=1
DOM0_DIR  := $(BUILD)/dom0
export BUILD

.PHONY: bench-io bench-boot bench-paging soak all deps hypervisor guests frontends backends unit-backends xenstore tools dom0 iso run test unit unit-hypervisor unit-xenstore unit-tools integration peers bench bench-xenstore fuzz fuzz-xenstore check-headers clean help

all: hypervisor xenstore

help:
	@sed -n '2,6p' Makefile

# Installs missing Debian packages; a no-op when everything is present.
deps:
	@scripts/deps.sh

hypervisor:
	@$(MAKE) --no-print-directory -C hypervisor BUILD=$(abspath $(BUILD))/hypervisor

$(HV_ELF): hypervisor

# dom0's kernel and initramfs, from Debian's packages (dom0/, docs/dom0-image.md).
dom0: xenstore guests tools frontends backends
	@$(MAKE) --no-print-directory -C dom0

# dom0's toolstack: xl (with libsvctl and the PVH builder).
tools:
	@$(MAKE) --no-print-directory -C tools xl BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C tools/xenconsoled BUILD=$(abspath $(BUILD))

# The default scenario: the hypervisor, dom0's kernel (its module string is
# Linux's command line) and dom0's initramfs.
iso: hypervisor dom0
	@scripts/mkiso.sh "$(HV_ELF)" "$(ISO)" "$(CMDLINE)" \
		"$(DOM0_DIR)/vmlinux" "$(DOM0_CMDLINE)" "$(DOM0_DIR)/initramfs.cpio.gz" "initrd"

# xenstored, the xenstore client library and the xenstore-* tools (dom0 userspace).
xenstore:
	@$(MAKE) --no-print-directory -C xenstore all BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C xenstore/tools all BUILD=$(abspath $(BUILD))

# The domU kernel with the split-driver frontends (frontends/), and dom0's
# userspace backends (backends/).
frontends:
	@$(MAKE) --no-print-directory -C frontends BUILD=$(abspath $(BUILD))

backends:
	@$(MAKE) --no-print-directory -C backends/blkback BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C backends/netback BUILD=$(abspath $(BUILD))

# The test guest kernel (tests/guests): bare via GRUB, or PVH under splitvisor.
GUEST_ELF := $(BUILD)/guests/svguest.elf
guests:
	@$(MAKE) --no-print-directory -C tests/guests BUILD=$(abspath $(BUILD))

run: deps
	@$(MAKE) --no-print-directory iso
	@scripts/qemu.sh --firmware $(FIRMWARE) --iso $(ISO) --interactive

# ---- host unit tests (Check) -------------------------------------------

UNIT_SRCS := \
	hypervisor/common/fmt.c \
	hypervisor/common/logring.c \
	hypervisor/common/printk.c \
	hypervisor/common/cmdline.c \
	hypervisor/common/multiboot2.c \
	hypervisor/common/acpi_tables.c \
	hypervisor/mm/memmap.c \
	hypervisor/mm/buddy.c \
	hypervisor/mm/xmalloc.c \
	hypervisor/mm/p2m.c \
	hypervisor/mm/guest_walk.c \
	hypervisor/common/pvh_loader.c \
	hypervisor/arch/x86/emul/decode.c \
	hypervisor/arch/x86/emul/emulate.c \
	hypervisor/mm/shadow.c \
	hypervisor/common/grant_table.c \
	hypervisor/common/event_channel.c \
	hypervisor/common/pvclock.c \
	hypervisor/common/wallclock.c \
	hypervisor/common/sched_credit.c \
	hypervisor/common/vcpu_context.c \
	hypervisor/common/foreign_map.c \
	hypervisor/common/dom0_layout.c \
	hypervisor/common/acpi_dom0.c \
	hypervisor/common/ipi_guard.c \
	tests/unit/main.c \
	$(wildcard tests/unit/test_*.c)

UNIT_BIN    := $(BUILD)/tests/unit/run-unit
UNIT_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -DSV_HOSTED -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ -g -O1 -Wall -Wextra -Werror \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined \
               -Ihypervisor/include -Itests/unit $(shell pkg-config --cflags check 2>/dev/null)
UNIT_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

$(UNIT_BIN): $(UNIT_SRCS) $(wildcard hypervisor/include/sv/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRCS) $(UNIT_LIBS)

unit-hypervisor: $(UNIT_BIN)
	@CK_FORK=yes ASAN_OPTIONS=detect_leaks=1 $(UNIT_BIN)

unit-xenstore:
	@$(MAKE) --no-print-directory -C xenstore unit BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C xenstore/tools unit BUILD=$(abspath $(BUILD))

unit-tools:
	@$(MAKE) --no-print-directory -C tools unit BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C tools/xenconsoled unit BUILD=$(abspath $(BUILD))

unit-backends:
	@$(MAKE) --no-print-directory -C frontends/net unit BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C backends/blkback unit BUILD=$(abspath $(BUILD))
	@$(MAKE) --no-print-directory -C backends/netback unit BUILD=$(abspath $(BUILD))

unit: unit-hypervisor unit-xenstore unit-tools unit-backends

# ---- integration tests (boot the ISO in QEMU) ----------------------------

integration: iso guests
	@tests/integration/run-all.sh

# Real Xen software against ours: Debian's xenstore-utils against our
# xenstored; our domU kernel (svfront) under the real Xen 4.17 through Linux's
# xen-blkback/xen-netback (tests/peers/README.md).
peers: xenstore dom0 frontends
	@XENSTORED_OURS=$(abspath $(BUILD))/xenstore/xenstored tests/peers/xenstore_utils.sh ours
	@BUILD=$(abspath $(BUILD)) tests/peers/xen_split.sh

test: deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory peers
	@$(MAKE) --no-print-directory integration

# Disk (and network) through the split drivers: splitvisor vs the real Xen 4.17
# vs dom0 native, same disk and QEMU (bench/results/io.txt, io.png).
bench-io: deps
	@$(MAKE) --no-print-directory iso frontends
	@FIRMWARE=$(FIRMWARE) bench/io.sh

# Our xenstored against Debian's C xenstored, side by side (bench/results/xenstore.txt).
bench-xenstore: deps xenstore
	@bench/xenstore/run.sh

# libFuzzer on xenstored's message parser and transaction engine (FUZZ_SECONDS, 60).
fuzz-xenstore: deps
	@$(MAKE) --no-print-directory -C xenstore fuzz BUILD=$(abspath $(BUILD))

# Benchmarks write their figures to bench/results/.
# The hypercall fuzzer, long: 1,000,000 calls per fuzzing domain.
fuzz: deps
	@$(MAKE) --no-print-directory hypervisor guests
	@FUZZ_CALLS=$${FUZZ_CALLS:-1000000} TESTS=fuzz TEST_TIMEOUT=3000 tests/integration/run-all.sh

# dom0 under load for longer: CPU, O_DIRECT disk and ping traffic (SOAK_SECONDS, 1200).
soak: deps
	@$(MAKE) --no-print-directory hypervisor dom0
	@SOAK_SECONDS=$${SOAK_SECONDS:-1200} TESTS=dom0_soak TEST_TIMEOUT=$$(( $${SOAK_SECONDS:-1200} + 700 )) tests/integration/run-all.sh

# dom0's boot to its init under splitvisor (NPT, shadow) and the real Xen 4.17, one run.
bench-boot: deps
	@$(MAKE) --no-print-directory hypervisor dom0
	@bench/boot_dom0.sh

# svguest's paging benchmarks in an xl-created domU: splitvisor (shadow, hap)
# and the real Xen 4.17 (hap=0, hap=1), same dom0 (bench/results/paging-xl.txt).
bench-paging: deps
	@$(MAKE) --no-print-directory iso
	@bench/paging_xl.sh

bench: deps
	@$(MAKE) --no-print-directory hypervisor guests
	@bench/boot_time.sh
	@bench/paging.sh
	@bench/xen_abi.sh

# Every header must compile on its own (it includes what it uses).
check-headers:
	@$(MAKE) --no-print-directory -C hypervisor BUILD=$(abspath $(BUILD))/hypervisor check-headers

clean:
	rm -rf $(BUILD)
