/*
 * The x86 decoder against GNU binutils.
 *
 * The big table was made by assembling the instructions below with GNU as
 * 2.40 in 64-, 32- and 16-bit code (.code16; objdump -m i8086) and reading
 * back objdump -d: the bytes, the length and the operands come from
 * binutils, not from the decoder.  Rows are mnemonic forms (each supported
 * instruction in its operand sizes, with and without prefixes, over the
 * addressing forms) and raw sweeps of ModRM and SIB bytes and of prefix
 * combinations, each followed by objdump's text.  Every row is also
 * decoded from each shorter prefix of its bytes (-EAGAIN) and from a
 * longer buffer (same length).
 *
 * Where objdump and the manuals part ways the hand-written tests further
 * down hold the manuals' line: a REX followed by a legacy prefix is
 * ignored rather than an instruction of its own (SDM vol. 2, 2.2.1), and
 * LOCK on an instruction that cannot take it is #UD, not a prefix to print.
 *
 * Columns: mode, bytes, kind, operand size (0: not checked), address size
 * (0: not checked), memory operand (segment, base, index, scale, RIP-relative,
 * displacement; segment -1: no memory operand), immediate, I/O port, CR/DR
 * number and its GPR (-1: none), objdump's text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/x86_decode.h>

#include "suites.h"

#define NOIMM  INT64_MIN
#define NOPORT -1

struct decode_case {
    uint8_t mode;               /* 16, 32, 64 */
    uint8_t len;
    const char *bytes;
    uint8_t kind;
    uint8_t op_size;
    uint8_t addr_size;
    int8_t seg;
    int8_t base;
    int8_t index;
    uint8_t scale;
    bool rip;
    int64_t disp;
    int64_t imm;
    int32_t port;
    int8_t ctl;
    int8_t reg;
    const char *text;
};

#define C(mode, bytes, kind, op, ad, seg, base, index, scale, rip, disp, imm, port, ctl, reg,  \
          text)                                                                                 \
    { mode, sizeof(bytes) - 1, bytes, kind, op, ad, seg, base, index, scale, rip,              \
      (int64_t)(disp), (int64_t)(imm), port, ctl, reg, text }

static const struct decode_case objdump_cases[] = {
    /* ---- 64-bit code ---- */
    C(64, "\x89\x08", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%rax)"),
    C(64, "\x89\x48\x80", X86_MOV, 4, 8, 3, 0, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%rax)"),
    C(64, "\x89\x88\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 0, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%rax)"),
    C(64, "\x89\x49\x7f", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%rcx)"),
    C(64, "\x89\x89\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%rcx)"),
    C(64, "\x89\x0a", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%rdx)"),
    C(64, "\x89\x4a\x80", X86_MOV, 4, 8, 3, 2, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%rdx)"),
    C(64, "\x89\x8a\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 2, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%rdx)"),
    C(64, "\x89\x4b\x7f", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%rbx)"),
    C(64, "\x89\x8b\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%rbx)"),
    C(64, "\x89\x0c\x24", X86_MOV, 4, 8, 2, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%rsp)"),
    C(64, "\x89\x4c\x24\x80", X86_MOV, 4, 8, 2, 4, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%rsp)"),
    C(64, "\x89\x8c\x24\x88\xa9\xcb\xed", X86_MOV, 4, 8, 2, 4, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%rsp)"),
    C(64, "\x89\x4d\x7f", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%rbp)"),
    C(64, "\x89\x8d\x78\x56\x34\x12", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%rbp)"),
    C(64, "\x89\x0e", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%rsi)"),
    C(64, "\x89\x4e\x80", X86_MOV, 4, 8, 3, 6, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%rsi)"),
    C(64, "\x89\x8e\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 6, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%rsi)"),
    C(64, "\x89\x4f\x7f", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%rdi)"),
    C(64, "\x89\x8f\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%rdi)"),
    C(64, "\x41\x89\x08", X86_MOV, 4, 8, 3, 8, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%r8)"),
    C(64, "\x41\x89\x48\x80", X86_MOV, 4, 8, 3, 8, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%r8)"),
    C(64, "\x41\x89\x88\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 8, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%r8)"),
    C(64, "\x41\x89\x49\x7f", X86_MOV, 4, 8, 3, 9, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%r9)"),
    C(64, "\x41\x89\x89\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 9, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%r9)"),
    C(64, "\x41\x89\x0a", X86_MOV, 4, 8, 3, 10, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%r10)"),
    C(64, "\x41\x89\x4a\x80", X86_MOV, 4, 8, 3, 10, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%r10)"),
    C(64, "\x41\x89\x8a\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 10, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%r10)"),
    C(64, "\x41\x89\x4b\x7f", X86_MOV, 4, 8, 3, 11, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%r11)"),
    C(64, "\x41\x89\x8b\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 11, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%r11)"),
    C(64, "\x41\x89\x0c\x24", X86_MOV, 4, 8, 3, 12, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%r12)"),
    C(64, "\x41\x89\x4c\x24\x80", X86_MOV, 4, 8, 3, 12, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%r12)"),
    C(64, "\x41\x89\x8c\x24\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 12, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%r12)"),
    C(64, "\x41\x89\x4d\x7f", X86_MOV, 4, 8, 3, 13, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%r13)"),
    C(64, "\x41\x89\x8d\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 13, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%r13)"),
    C(64, "\x41\x89\x0e", X86_MOV, 4, 8, 3, 14, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%r14)"),
    C(64, "\x41\x89\x4e\x80", X86_MOV, 4, 8, 3, 14, -1, 0, 0, -0x80, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x80(%r14)"),
    C(64, "\x41\x89\x8e\x88\xa9\xcb\xed", X86_MOV, 4, 8, 3, 14, -1, 0, 0, -0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,-0x12345678(%r14)"),
    C(64, "\x41\x89\x4f\x7f", X86_MOV, 4, 8, 3, 15, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov %ecx,0x7f(%r15)"),
    C(64, "\x41\x89\x8f\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 15, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%r15)"),
    C(64, "\x89\x4c\x00\x10", X86_MOV, 4, 8, 3, 0, 0, 1, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rax,1)"),
    C(64, "\x89\x4c\x48\x10", X86_MOV, 4, 8, 3, 0, 1, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rcx,2)"),
    C(64, "\x89\x4c\x90\x10", X86_MOV, 4, 8, 3, 0, 2, 4, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rdx,4)"),
    C(64, "\x89\x4c\xd8\x10", X86_MOV, 4, 8, 3, 0, 3, 8, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rbx,8)"),
    C(64, "\x89\x4c\x28\x10", X86_MOV, 4, 8, 3, 0, 5, 1, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rbp,1)"),
    C(64, "\x89\x4c\x70\x10", X86_MOV, 4, 8, 3, 0, 6, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rsi,2)"),
    C(64, "\x89\x4c\xb8\x10", X86_MOV, 4, 8, 3, 0, 7, 4, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%rdi,4)"),
    C(64, "\x42\x89\x4c\xc0\x10", X86_MOV, 4, 8, 3, 0, 8, 8, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r8,8)"),
    C(64, "\x42\x89\x4c\x08\x10", X86_MOV, 4, 8, 3, 0, 9, 1, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r9,1)"),
    C(64, "\x42\x89\x4c\x50\x10", X86_MOV, 4, 8, 3, 0, 10, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r10,2)"),
    C(64, "\x42\x89\x4c\x98\x10", X86_MOV, 4, 8, 3, 0, 11, 4, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r11,4)"),
    C(64, "\x42\x89\x4c\xe0\x10", X86_MOV, 4, 8, 3, 0, 12, 8, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r12,8)"),
    C(64, "\x42\x89\x4c\x28\x10", X86_MOV, 4, 8, 3, 0, 13, 1, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r13,1)"),
    C(64, "\x42\x89\x4c\x70\x10", X86_MOV, 4, 8, 3, 0, 14, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r14,2)"),
    C(64, "\x42\x89\x4c\xb8\x10", X86_MOV, 4, 8, 3, 0, 15, 4, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov %ecx,0x10(%rax,%r15,4)"),
    C(64, "\x4c\x8b\x0c\x0b", X86_MOV, 8, 8, 3, 3, 1, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rcx,1),%r9"),
    C(64, "\x4c\x8b\x0c\x4b", X86_MOV, 8, 8, 3, 3, 1, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rcx,2),%r9"),
    C(64, "\x4c\x8b\x0c\x8b", X86_MOV, 8, 8, 3, 3, 1, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rcx,4),%r9"),
    C(64, "\x4c\x8b\x0c\xcb", X86_MOV, 8, 8, 3, 3, 1, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rcx,8),%r9"),
    C(64, "\x8b\x14\x5c", X86_MOV, 4, 8, 2, 4, 3, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rbx,2),%edx"),
    C(64, "\x42\x8b\x54\x64\x10", X86_MOV, 4, 8, 2, 4, 12, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%rsp,%r12,2),%edx"),
    C(64, "\x42\x8b\x94\x6c\x00\x10\x00\x00", X86_MOV, 4, 8, 2, 4, 13, 2, 0, 0x1000, NOIMM, NOPORT, -1, -1, "mov 0x1000(%rsp,%r13,2),%edx"),
    C(64, "\x8b\x14\x6c", X86_MOV, 4, 8, 2, 4, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rbp,2),%edx"),
    C(64, "\x8b\x54\x5d\x10", X86_MOV, 4, 8, 2, 5, 3, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%rbp,%rbx,2),%edx"),
    C(64, "\x42\x8b\x94\x65\x00\x10\x00\x00", X86_MOV, 4, 8, 2, 5, 12, 2, 0, 0x1000, NOIMM, NOPORT, -1, -1, "mov 0x1000(%rbp,%r12,2),%edx"),
    C(64, "\x42\x8b\x54\x6d\x00", X86_MOV, 4, 8, 2, 5, 13, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(%rbp,%r13,2),%edx"),
    C(64, "\x8b\x54\x6d\x10", X86_MOV, 4, 8, 2, 5, 5, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%rbp,%rbp,2),%edx"),
    C(64, "\x41\x8b\x94\x5c\x00\x10\x00\x00", X86_MOV, 4, 8, 3, 12, 3, 2, 0, 0x1000, NOIMM, NOPORT, -1, -1, "mov 0x1000(%r12,%rbx,2),%edx"),
    C(64, "\x43\x8b\x14\x64", X86_MOV, 4, 8, 3, 12, 12, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r12,%r12,2),%edx"),
    C(64, "\x43\x8b\x54\x6c\x10", X86_MOV, 4, 8, 3, 12, 13, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%r12,%r13,2),%edx"),
    C(64, "\x41\x8b\x94\x6c\x00\x10\x00\x00", X86_MOV, 4, 8, 3, 12, 5, 2, 0, 0x1000, NOIMM, NOPORT, -1, -1, "mov 0x1000(%r12,%rbp,2),%edx"),
    C(64, "\x41\x8b\x54\x5d\x00", X86_MOV, 4, 8, 3, 13, 3, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(%r13,%rbx,2),%edx"),
    C(64, "\x43\x8b\x54\x65\x10", X86_MOV, 4, 8, 3, 13, 12, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%r13,%r12,2),%edx"),
    C(64, "\x43\x8b\x94\x6d\x00\x10\x00\x00", X86_MOV, 4, 8, 3, 13, 13, 2, 0, 0x1000, NOIMM, NOPORT, -1, -1, "mov 0x1000(%r13,%r13,2),%edx"),
    C(64, "\x41\x8b\x54\x6d\x00", X86_MOV, 4, 8, 3, 13, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(%r13,%rbp,2),%edx"),
    C(64, "\x89\x0c\x8d\x78\x56\x34\x12", X86_MOV, 4, 8, 3, -1, 1, 4, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(,%rcx,4)"),
    C(64, "\x42\x89\x0c\xed\x00\x00\x00\x00", X86_MOV, 4, 8, 3, -1, 13, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,0x0(,%r13,8)"),
    C(64, "\x89\x0c\x25\x34\x12\x00\x00", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov %ecx,0x1234"),
    C(64, "\x89\x0c\x25\x00\x00\x00\xf0", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0xfffffffff0000000ULL, NOIMM, NOPORT, -1, -1, "mov %ecx,0xfffffffff0000000"),
    C(64, "\x8b\x0d\x10\x00\x00\x00", X86_MOV, 4, 8, 3, -1, -1, 0, 1, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%rip),%ecx"),
    C(64, "\x48\x8b\x0d\xf0\xff\xff\xff", X86_MOV, 8, 8, 3, -1, -1, 0, 1, -0x10, NOIMM, NOPORT, -1, -1, "mov -0x10(%rip),%rcx"),
    C(64, "\x89\x0d\x78\x56\x34\x12", X86_MOV, 4, 8, 3, -1, -1, 0, 1, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678(%rip)"),
    C(64, "\x67\x8b\x0d\x10\x00\x00\x00", X86_MOV, 4, 4, 3, -1, -1, 0, 1, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%eip),%ecx"),
    C(64, "\x67\x8b\x08", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%ecx"),
    C(64, "\x67\x43\x8b\x4c\x48\x10", X86_MOV, 4, 4, 3, 8, 9, 2, 0, 0x10, NOIMM, NOPORT, -1, -1, "mov 0x10(%r8d,%r9d,2),%ecx"),
    C(64, "\x67\x8b\x0c\x24", X86_MOV, 4, 4, 2, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp),%ecx"),
    C(64, "\x67\x8b\x4d\x7f", X86_MOV, 4, 4, 2, 5, -1, 0, 0, 0x7f, NOIMM, NOPORT, -1, -1, "mov 0x7f(%ebp),%ecx"),
    C(64, "\x67\x8b\x0c\xc5\x00\x00\x00\x00", X86_MOV, 4, 4, 3, -1, 0, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(,%eax,8),%ecx"),
    C(64, "\x67\x8b\x0c\x25\x34\x12\x00\x00", X86_MOV, 4, 4, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov 0x1234(,%eiz,1),%ecx"),
    C(64, "\x64\x48\x8b\x04\x25\x28\x00\x00\x00", X86_MOV, 8, 0, 4, -1, -1, 0, 0, 0x28, NOIMM, NOPORT, -1, -1, "mov %fs:0x28,%rax"),
    C(64, "\x65\x8b\x00", X86_MOV, 4, 8, 5, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %gs:(%rax),%eax"),
    C(64, "\x64\x8b\x05\x10\x00\x00\x00", X86_MOV, 4, 8, 4, -1, -1, 0, 1, 0x10, NOIMM, NOPORT, -1, -1, "mov %fs:0x10(%rip),%eax"),
    C(64, "\x65\x48\x8b\x54\xdc\x08", X86_MOV, 8, 8, 5, 4, 3, 8, 0, 0x8, NOIMM, NOPORT, -1, -1, "mov %gs:0x8(%rsp,%rbx,8),%rdx"),
    C(64, "\x64\x67\x8b\x03", X86_MOV, 4, 4, 4, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %fs:(%ebx),%eax"),
    C(64, "\x88\x20", X86_MOV, 1, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ah,(%rax)"),
    C(64, "\x88\x3b", X86_MOV, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %bh,(%rbx)"),
    C(64, "\x40\x88\x30", X86_MOV, 1, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %sil,(%rax)"),
    C(64, "\x40\x88\x3b", X86_MOV, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %dil,(%rbx)"),
    C(64, "\x45\x88\x01", X86_MOV, 1, 8, 3, 9, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %r8b,(%r9)"),
    C(64, "\x45\x8a\x37", X86_MOV, 1, 8, 3, 15, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r15),%r14b"),
    C(64, "\x8a\x28", X86_MOV, 1, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax),%ch"),
    C(64, "\x66\x45\x89\x13", X86_MOV, 2, 8, 3, 11, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %r10w,(%r11)"),
    C(64, "\x45\x8b\x13", X86_MOV, 4, 8, 3, 11, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r11),%r10d"),
    C(64, "\x00\x0b", X86_ADD, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cl,(%rbx)"),
    C(64, "\x02\x0b", X86_ADD, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%rbx),%cl"),
    C(64, "\x80\x03\x12", X86_ADD, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addb $0x12,(%rbx)"),
    C(64, "\x66\x01\x0b", X86_ADD, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cx,(%rbx)"),
    C(64, "\x66\x03\x0b", X86_ADD, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%rbx),%cx"),
    C(64, "\x66\x83\x03\x12", X86_ADD, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addw $0x12,(%rbx)"),
    C(64, "\x01\x0b", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,(%rbx)"),
    C(64, "\x03\x0b", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%rbx),%ecx"),
    C(64, "\x83\x03\x12", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addl $0x12,(%rbx)"),
    C(64, "\x48\x01\x0b", X86_ADD, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %rcx,(%rbx)"),
    C(64, "\x48\x03\x0b", X86_ADD, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%rbx),%rcx"),
    C(64, "\x48\x83\x03\x12", X86_ADD, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addq $0x12,(%rbx)"),
    C(64, "\x66\x81\x03\x34\x12", X86_ADD, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "addw $0x1234,(%rbx)"),
    C(64, "\x81\x03\x78\x56\x34\x12", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "addl $0x12345678,(%rbx)"),
    C(64, "\x83\x43\x40\xff", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x40, 0xffffffffULL, NOPORT, -1, -1, "addl $0xffffffff,0x40(%rbx)"),
    C(64, "\x48\x81\x03\x88\xa9\xcb\xed", X86_ADD, 8, 8, 3, 3, -1, 0, 0, 0x0, 0xffffffffedcba988ULL, NOPORT, -1, -1, "addq $0xffffffffedcba988,(%rbx)"),
    C(64, "\x08\x0b", X86_OR, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or %cl,(%rbx)"),
    C(64, "\x0a\x0b", X86_OR, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or (%rbx),%cl"),
    C(64, "\x80\x0b\x12", X86_OR, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "orb $0x12,(%rbx)"),
    C(64, "\x66\x09\x0b", X86_OR, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or %cx,(%rbx)"),
    C(64, "\x66\x0b\x0b", X86_OR, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or (%rbx),%cx"),
    C(64, "\x66\x83\x0b\x12", X86_OR, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "orw $0x12,(%rbx)"),
    C(64, "\x09\x0b", X86_OR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or %ecx,(%rbx)"),
    C(64, "\x0b\x0b", X86_OR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or (%rbx),%ecx"),
    C(64, "\x83\x0b\x12", X86_OR, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "orl $0x12,(%rbx)"),
    C(64, "\x48\x09\x0b", X86_OR, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or %rcx,(%rbx)"),
    C(64, "\x48\x0b\x0b", X86_OR, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "or (%rbx),%rcx"),
    C(64, "\x48\x83\x0b\x12", X86_OR, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "orq $0x12,(%rbx)"),
    C(64, "\x66\x81\x0b\x34\x12", X86_OR, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "orw $0x1234,(%rbx)"),
    C(64, "\x81\x0b\x78\x56\x34\x12", X86_OR, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "orl $0x12345678,(%rbx)"),
    C(64, "\x49\x83\x08\x7f", X86_OR, 8, 8, 3, 8, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "orq $0x7f,(%r8)"),
    C(64, "\x10\x0b", X86_ADC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "adc %cl,(%rbx)"),
    C(64, "\x12\x0b", X86_ADC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "adc (%rbx),%cl"),
    C(64, "\x80\x13\x12", X86_ADC, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "adcb $0x12,(%rbx)"),
    C(64, "\x11\x0b", X86_ADC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "adc %ecx,(%rbx)"),
    C(64, "\x13\x0b", X86_ADC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "adc (%rbx),%ecx"),
    C(64, "\x83\x13\x12", X86_ADC, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "adcl $0x12,(%rbx)"),
    C(64, "\x66\x81\x13\x34\x12", X86_ADC, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "adcw $0x1234,(%rbx)"),
    C(64, "\x81\x13\x78\x56\x34\x12", X86_ADC, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "adcl $0x12345678,(%rbx)"),
    C(64, "\x48\x81\x13\x88\xa9\xcb\xed", X86_ADC, 8, 8, 3, 3, -1, 0, 0, 0x0, 0xffffffffedcba988ULL, NOPORT, -1, -1, "adcq $0xffffffffedcba988,(%rbx)"),
    C(64, "\x66\x19\x0b", X86_SBB, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %cx,(%rbx)"),
    C(64, "\x66\x1b\x0b", X86_SBB, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%rbx),%cx"),
    C(64, "\x66\x83\x1b\x12", X86_SBB, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbw $0x12,(%rbx)"),
    C(64, "\x48\x19\x0b", X86_SBB, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %rcx,(%rbx)"),
    C(64, "\x48\x1b\x0b", X86_SBB, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%rbx),%rcx"),
    C(64, "\x48\x83\x1b\x12", X86_SBB, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbq $0x12,(%rbx)"),
    C(64, "\x66\x81\x1b\x34\x12", X86_SBB, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "sbbw $0x1234,(%rbx)"),
    C(64, "\x81\x1b\x78\x56\x34\x12", X86_SBB, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "sbbl $0x12345678,(%rbx)"),
    C(64, "\x83\x5b\x40\xff", X86_SBB, 4, 8, 3, 3, -1, 0, 0, 0x40, 0xffffffffULL, NOPORT, -1, -1, "sbbl $0xffffffff,0x40(%rbx)"),
    C(64, "\x49\x83\x18\x7f", X86_SBB, 8, 8, 3, 8, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "sbbq $0x7f,(%r8)"),
    C(64, "\x20\x0b", X86_AND, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "and %cl,(%rbx)"),
    C(64, "\x22\x0b", X86_AND, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "and (%rbx),%cl"),
    C(64, "\x80\x23\x12", X86_AND, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "andb $0x12,(%rbx)"),
    C(64, "\x21\x0b", X86_AND, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "and %ecx,(%rbx)"),
    C(64, "\x23\x0b", X86_AND, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "and (%rbx),%ecx"),
    C(64, "\x83\x23\x12", X86_AND, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "andl $0x12,(%rbx)"),
    C(64, "\x66\x81\x23\x34\x12", X86_AND, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "andw $0x1234,(%rbx)"),
    C(64, "\x81\x23\x78\x56\x34\x12", X86_AND, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "andl $0x12345678,(%rbx)"),
    C(64, "\x48\x81\x23\x88\xa9\xcb\xed", X86_AND, 8, 8, 3, 3, -1, 0, 0, 0x0, 0xffffffffedcba988ULL, NOPORT, -1, -1, "andq $0xffffffffedcba988,(%rbx)"),
    C(64, "\x66\x29\x0b", X86_SUB, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub %cx,(%rbx)"),
    C(64, "\x66\x2b\x0b", X86_SUB, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub (%rbx),%cx"),
    C(64, "\x66\x83\x2b\x12", X86_SUB, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "subw $0x12,(%rbx)"),
    C(64, "\x48\x29\x0b", X86_SUB, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub %rcx,(%rbx)"),
    C(64, "\x48\x2b\x0b", X86_SUB, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub (%rbx),%rcx"),
    C(64, "\x48\x83\x2b\x12", X86_SUB, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "subq $0x12,(%rbx)"),
    C(64, "\x66\x81\x2b\x34\x12", X86_SUB, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "subw $0x1234,(%rbx)"),
    C(64, "\x81\x2b\x78\x56\x34\x12", X86_SUB, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "subl $0x12345678,(%rbx)"),
    C(64, "\x49\x83\x28\x7f", X86_SUB, 8, 8, 3, 8, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "subq $0x7f,(%r8)"),
    C(64, "\x30\x0b", X86_XOR, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xor %cl,(%rbx)"),
    C(64, "\x32\x0b", X86_XOR, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xor (%rbx),%cl"),
    C(64, "\x80\x33\x12", X86_XOR, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "xorb $0x12,(%rbx)"),
    C(64, "\x31\x0b", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xor %ecx,(%rbx)"),
    C(64, "\x33\x0b", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xor (%rbx),%ecx"),
    C(64, "\x83\x33\x12", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "xorl $0x12,(%rbx)"),
    C(64, "\x66\x81\x33\x34\x12", X86_XOR, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "xorw $0x1234,(%rbx)"),
    C(64, "\x81\x33\x78\x56\x34\x12", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "xorl $0x12345678,(%rbx)"),
    C(64, "\x83\x73\x40\xff", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x40, 0xffffffffULL, NOPORT, -1, -1, "xorl $0xffffffff,0x40(%rbx)"),
    C(64, "\x48\x81\x33\x88\xa9\xcb\xed", X86_XOR, 8, 8, 3, 3, -1, 0, 0, 0x0, 0xffffffffedcba988ULL, NOPORT, -1, -1, "xorq $0xffffffffedcba988,(%rbx)"),
    C(64, "\x66\x39\x0b", X86_CMP, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %cx,(%rbx)"),
    C(64, "\x66\x3b\x0b", X86_CMP, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%rbx),%cx"),
    C(64, "\x66\x83\x3b\x12", X86_CMP, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpw $0x12,(%rbx)"),
    C(64, "\x48\x39\x0b", X86_CMP, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %rcx,(%rbx)"),
    C(64, "\x48\x3b\x0b", X86_CMP, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%rbx),%rcx"),
    C(64, "\x48\x83\x3b\x12", X86_CMP, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpq $0x12,(%rbx)"),
    C(64, "\x66\x81\x3b\x34\x12", X86_CMP, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "cmpw $0x1234,(%rbx)"),
    C(64, "\x81\x3b\x78\x56\x34\x12", X86_CMP, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "cmpl $0x12345678,(%rbx)"),
    C(64, "\x49\x83\x38\x7f", X86_CMP, 8, 8, 3, 8, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "cmpq $0x7f,(%r8)"),
    C(64, "\xf0\x01\x0b", X86_ADD, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock add %ecx,(%rbx)"),
    C(64, "\xf0\x80\x03\x01", X86_ADD, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock addb $0x1,(%rbx)"),
    C(64, "\xf0\x09\x0b", X86_OR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock or %ecx,(%rbx)"),
    C(64, "\xf0\x80\x0b\x01", X86_OR, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock orb $0x1,(%rbx)"),
    C(64, "\xf0\x11\x0b", X86_ADC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock adc %ecx,(%rbx)"),
    C(64, "\xf0\x80\x13\x01", X86_ADC, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock adcb $0x1,(%rbx)"),
    C(64, "\xf0\x19\x0b", X86_SBB, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock sbb %ecx,(%rbx)"),
    C(64, "\xf0\x80\x1b\x01", X86_SBB, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock sbbb $0x1,(%rbx)"),
    C(64, "\xf0\x21\x0b", X86_AND, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock and %ecx,(%rbx)"),
    C(64, "\xf0\x80\x23\x01", X86_AND, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock andb $0x1,(%rbx)"),
    C(64, "\xf0\x29\x0b", X86_SUB, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock sub %ecx,(%rbx)"),
    C(64, "\xf0\x80\x2b\x01", X86_SUB, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock subb $0x1,(%rbx)"),
    C(64, "\xf0\x31\x0b", X86_XOR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xor %ecx,(%rbx)"),
    C(64, "\xf0\x80\x33\x01", X86_XOR, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock xorb $0x1,(%rbx)"),
    C(64, "\x84\x0b", X86_TEST, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cl,(%rbx)"),
    C(64, "\xf6\x03\x7f", X86_TEST, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testb $0x7f,(%rbx)"),
    C(64, "\xfe\x03", X86_INC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incb (%rbx)"),
    C(64, "\xfe\x0b", X86_DEC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decb (%rbx)"),
    C(64, "\xf6\x13", X86_NOT, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notb (%rbx)"),
    C(64, "\xf6\x1b", X86_NEG, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negb (%rbx)"),
    C(64, "\xf0\xfe\x4b\x08", X86_DEC, 1, 8, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock decb 0x8(%rbx)"),
    C(64, "\x86\x0b", X86_XCHG, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cl,(%rbx)"),
    C(64, "\x0f\xc0\x0b", X86_XADD, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cl,(%rbx)"),
    C(64, "\x0f\xb0\x0b", X86_CMPXCHG, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cl,(%rbx)"),
    C(64, "\xf0\x0f\xc0\x0b", X86_XADD, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xadd %cl,(%rbx)"),
    C(64, "\x88\x0b", X86_MOV, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cl,(%rbx)"),
    C(64, "\x8a\x0b", X86_MOV, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%cl"),
    C(64, "\xc6\x03\x5a", X86_MOV, 1, 8, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movb $0x5a,(%rbx)"),
    C(64, "\x66\x85\x0b", X86_TEST, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cx,(%rbx)"),
    C(64, "\x66\xf7\x03\x7f\x00", X86_TEST, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testw $0x7f,(%rbx)"),
    C(64, "\x66\xff\x03", X86_INC, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incw (%rbx)"),
    C(64, "\x66\xff\x0b", X86_DEC, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decw (%rbx)"),
    C(64, "\x66\xf7\x13", X86_NOT, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notw (%rbx)"),
    C(64, "\x66\xf7\x1b", X86_NEG, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negw (%rbx)"),
    C(64, "\x66\xf0\xf7\x53\x08", X86_NOT, 2, 8, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock notw 0x8(%rbx)"),
    C(64, "\x66\x87\x0b", X86_XCHG, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cx,(%rbx)"),
    C(64, "\x66\x0f\xc1\x0b", X86_XADD, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cx,(%rbx)"),
    C(64, "\x66\x0f\xb1\x0b", X86_CMPXCHG, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cx,(%rbx)"),
    C(64, "\x66\xf0\x0f\xb1\x0b", X86_CMPXCHG, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %cx,(%rbx)"),
    C(64, "\x66\x89\x0b", X86_MOV, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cx,(%rbx)"),
    C(64, "\x66\x8b\x0b", X86_MOV, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%cx"),
    C(64, "\x66\xc7\x03\x5a\x00", X86_MOV, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movw $0x5a,(%rbx)"),
    C(64, "\x85\x0b", X86_TEST, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,(%rbx)"),
    C(64, "\xf7\x03\x7f\x00\x00\x00", X86_TEST, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testl $0x7f,(%rbx)"),
    C(64, "\xff\x03", X86_INC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incl (%rbx)"),
    C(64, "\xff\x0b", X86_DEC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decl (%rbx)"),
    C(64, "\xf7\x13", X86_NOT, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notl (%rbx)"),
    C(64, "\xf7\x1b", X86_NEG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negl (%rbx)"),
    C(64, "\xf0\xff\x43\x08", X86_INC, 4, 8, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock incl 0x8(%rbx)"),
    C(64, "\x87\x0b", X86_XCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,(%rbx)"),
    C(64, "\x0f\xc1\x0b", X86_XADD, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %ecx,(%rbx)"),
    C(64, "\x0f\xb1\x0b", X86_CMPXCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,(%rbx)"),
    C(64, "\xf0\x87\x0b", X86_XCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xchg %ecx,(%rbx)"),
    C(64, "\x89\x0b", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%rbx)"),
    C(64, "\x8b\x0b", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%ecx"),
    C(64, "\xc7\x03\x5a\x00\x00\x00", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movl $0x5a,(%rbx)"),
    C(64, "\x48\x85\x0b", X86_TEST, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %rcx,(%rbx)"),
    C(64, "\x48\xf7\x03\x7f\x00\x00\x00", X86_TEST, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testq $0x7f,(%rbx)"),
    C(64, "\x48\xff\x03", X86_INC, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incq (%rbx)"),
    C(64, "\x48\xff\x0b", X86_DEC, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decq (%rbx)"),
    C(64, "\x48\xf7\x13", X86_NOT, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notq (%rbx)"),
    C(64, "\x48\xf7\x1b", X86_NEG, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negq (%rbx)"),
    C(64, "\xf0\x48\xff\x43\x08", X86_INC, 8, 8, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock incq 0x8(%rbx)"),
    C(64, "\x48\x87\x0b", X86_XCHG, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %rcx,(%rbx)"),
    C(64, "\x48\x0f\xc1\x0b", X86_XADD, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %rcx,(%rbx)"),
    C(64, "\x48\x0f\xb1\x0b", X86_CMPXCHG, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %rcx,(%rbx)"),
    C(64, "\xf0\x48\x87\x0b", X86_XCHG, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xchg %rcx,(%rbx)"),
    C(64, "\x48\x89\x0b", X86_MOV, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %rcx,(%rbx)"),
    C(64, "\x48\x8b\x0b", X86_MOV, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%rcx"),
    C(64, "\x48\xc7\x03\x5a\x00\x00\x00", X86_MOV, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movq $0x5a,(%rbx)"),
    C(64, "\x66\xc7\x03\x34\x12", X86_MOV, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "movw $0x1234,(%rbx)"),
    C(64, "\xc7\x03\x78\x56\x34\x12", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "movl $0x12345678,(%rbx)"),
    C(64, "\x48\xc7\x03\x88\xa9\xcb\xed", X86_MOV, 8, 8, 3, 3, -1, 0, 0, 0x0, 0xffffffffedcba988ULL, NOPORT, -1, -1, "movq $0xffffffffedcba988,(%rbx)"),
    C(64, "\x66\x0f\xa3\x0b", X86_BT, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %cx,(%rbx)"),
    C(64, "\x66\x0f\xba\x23\x07", X86_BT, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btw $0x7,(%rbx)"),
    C(64, "\x66\x0f\xab\x0b", X86_BTS, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %cx,(%rbx)"),
    C(64, "\x66\x0f\xba\x2b\x07", X86_BTS, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btsw $0x7,(%rbx)"),
    C(64, "\x66\x0f\xb3\x0b", X86_BTR, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %cx,(%rbx)"),
    C(64, "\x66\x0f\xba\x33\x07", X86_BTR, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btrw $0x7,(%rbx)"),
    C(64, "\x66\x0f\xbb\x0b", X86_BTC, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %cx,(%rbx)"),
    C(64, "\x66\x0f\xba\x3b\x07", X86_BTC, 2, 8, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btcw $0x7,(%rbx)"),
    C(64, "\x66\xf0\x0f\xbb\x0b", X86_BTC, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock btc %cx,(%rbx)"),
    C(64, "\x0f\xa3\x0b", X86_BT, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,(%rbx)"),
    C(64, "\x0f\xba\x23\x0d", X86_BT, 4, 8, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btl $0xd,(%rbx)"),
    C(64, "\x0f\xab\x0b", X86_BTS, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %ecx,(%rbx)"),
    C(64, "\x0f\xba\x2b\x0d", X86_BTS, 4, 8, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btsl $0xd,(%rbx)"),
    C(64, "\xf0\x0f\xab\x0b", X86_BTS, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock bts %ecx,(%rbx)"),
    C(64, "\x0f\xb3\x0b", X86_BTR, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %ecx,(%rbx)"),
    C(64, "\x0f\xba\x33\x0d", X86_BTR, 4, 8, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btrl $0xd,(%rbx)"),
    C(64, "\x0f\xbb\x0b", X86_BTC, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %ecx,(%rbx)"),
    C(64, "\x0f\xba\x3b\x0d", X86_BTC, 4, 8, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btcl $0xd,(%rbx)"),
    C(64, "\x48\x0f\xa3\x0b", X86_BT, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %rcx,(%rbx)"),
    C(64, "\x48\x0f\xba\x23\x19", X86_BT, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x19, NOPORT, -1, -1, "btq $0x19,(%rbx)"),
    C(64, "\x48\x0f\xab\x0b", X86_BTS, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %rcx,(%rbx)"),
    C(64, "\x48\x0f\xba\x2b\x19", X86_BTS, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x19, NOPORT, -1, -1, "btsq $0x19,(%rbx)"),
    C(64, "\xf0\x48\x0f\xab\x0b", X86_BTS, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock bts %rcx,(%rbx)"),
    C(64, "\x48\x0f\xb3\x0b", X86_BTR, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %rcx,(%rbx)"),
    C(64, "\x48\x0f\xba\x33\x19", X86_BTR, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x19, NOPORT, -1, -1, "btrq $0x19,(%rbx)"),
    C(64, "\x48\x0f\xbb\x0b", X86_BTC, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %rcx,(%rbx)"),
    C(64, "\x48\x0f\xba\x3b\x19", X86_BTC, 8, 8, 3, 3, -1, 0, 0, 0x0, 0x19, NOPORT, -1, -1, "btcq $0x19,(%rbx)"),
    C(64, "\x66\x0f\xb6\x13", X86_MOVZX, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbw (%rbx),%dx"),
    C(64, "\x0f\xb6\x13", X86_MOVZX, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl (%rbx),%edx"),
    C(64, "\x0f\xb7\x13", X86_MOVZX, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl (%rbx),%edx"),
    C(64, "\x66\x0f\xbe\x13", X86_MOVSX, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbw (%rbx),%dx"),
    C(64, "\x0f\xbe\x13", X86_MOVSX, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl (%rbx),%edx"),
    C(64, "\x0f\xbf\x13", X86_MOVSX, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movswl (%rbx),%edx"),
    C(64, "\x48\x0f\xb6\x13", X86_MOVZX, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbq (%rbx),%rdx"),
    C(64, "\x48\x0f\xb7\x13", X86_MOVZX, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwq (%rbx),%rdx"),
    C(64, "\x48\x0f\xbe\x13", X86_MOVSX, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbq (%rbx),%rdx"),
    C(64, "\x48\x0f\xbf\x13", X86_MOVSX, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movswq (%rbx),%rdx"),
    C(64, "\x48\x63\x13", X86_MOVSXD, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movslq (%rbx),%rdx"),
    C(64, "\x0f\xb6\xd4", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl %ah,%edx"),
    C(64, "\x0f\xbe\xcf", X86_MOVSX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl %bh,%ecx"),
    C(64, "\x0f\xb7\xc1", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl %cx,%eax"),
    C(64, "\x40\x0f\xb6\xd6", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl %sil,%edx"),
    C(64, "\x4d\x0f\xbe\xd1", X86_MOVSX, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbq %r9b,%r10"),
    C(64, "\x4c\x63\xf9", X86_MOVSXD, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movslq %ecx,%r15"),
    C(64, "\x49\x63\x00", X86_MOVSXD, 8, 8, 3, 8, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movslq (%r8),%rax"),
    C(64, "\x0f\xc7\x0b", X86_CMPXCHG8B, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg8b (%rbx)"),
    C(64, "\xf0\x0f\xc7\x4b\x08", X86_CMPXCHG8B, 8, 8, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock cmpxchg8b 0x8(%rbx)"),
    C(64, "\x48\x0f\xc7\x0b", X86_CMPXCHG16B, 16, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg16b (%rbx)"),
    C(64, "\xf0\x49\x0f\xc7\x4c\x24\x10", X86_CMPXCHG16B, 16, 8, 3, 12, -1, 0, 0, 0x10, NOIMM, NOPORT, -1, -1, "lock cmpxchg16b 0x10(%r12)"),
    C(64, "\x0f\xc3\x0b", X86_MOVNTI, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movnti %ecx,(%rbx)"),
    C(64, "\x48\x0f\xc3\x0b", X86_MOVNTI, 8, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movnti %rcx,(%rbx)"),
    C(64, "\x4c\x0f\xc3\x0d\x10\x00\x00\x00", X86_MOVNTI, 8, 8, 3, -1, -1, 0, 1, 0x10, NOIMM, NOPORT, -1, -1, "movnti %r9,0x10(%rip)"),
    C(64, "\x0f\x90\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "seto (%rbx)"),
    C(64, "\x0f\x91\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setno (%rbx)"),
    C(64, "\x0f\x92\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setb (%rbx)"),
    C(64, "\x0f\x93\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setae (%rbx)"),
    C(64, "\x0f\x94\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sete (%rbx)"),
    C(64, "\x0f\x95\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne (%rbx)"),
    C(64, "\x0f\x96\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setbe (%rbx)"),
    C(64, "\x0f\x97\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "seta (%rbx)"),
    C(64, "\x0f\x98\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sets (%rbx)"),
    C(64, "\x0f\x99\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setns (%rbx)"),
    C(64, "\x0f\x9a\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setp (%rbx)"),
    C(64, "\x0f\x9b\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setnp (%rbx)"),
    C(64, "\x0f\x9c\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setl (%rbx)"),
    C(64, "\x0f\x9d\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setge (%rbx)"),
    C(64, "\x0f\x9e\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setle (%rbx)"),
    C(64, "\x0f\x9f\x03", X86_SETCC, 1, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setg (%rbx)"),
    C(64, "\x0f\x94\xc0", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sete %al"),
    C(64, "\x0f\x95\xc4", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne %ah"),
    C(64, "\x41\x0f\x9f\xc1", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setg %r9b"),
    C(64, "\x01\xca", X86_ADD, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,%edx"),
    C(64, "\x28\xc7", X86_SUB, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub %al,%bh"),
    C(64, "\x87\xca", X86_XCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,%edx"),
    C(64, "\x0f\xb1\xca", X86_CMPXCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,%edx"),
    C(64, "\xfe\xc4", X86_INC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "inc %ah"),
    C(64, "\xf6\xd4", X86_NOT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "not %ah"),
    C(64, "\x85\xc9", X86_TEST, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,%ecx"),
    C(64, "\x0f\xba\xe0\x03", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, 0x3, NOPORT, -1, -1, "bt $0x3,%eax"),
    C(64, "\x0f\xa3\xca", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,%edx"),
    C(64, "\x4d\x01\xc1", X86_ADD, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %r8,%r9"),
    C(64, "\x45\x31\xd3", X86_XOR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xor %r10d,%r11d"),
    C(64, "\x49\xf7\xdc", X86_NEG, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "neg %r12"),
    C(64, "\x49\x0f\xba\xed\x3f", X86_BTS, 8, 0, -1, -1, -1, 0, 0, 0x0, 0x3f, NOPORT, -1, -1, "bts $0x3f,%r13"),
    C(64, "\xa4", X86_MOVS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xf3\xa4", X86_MOVS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsb %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xaa", X86_STOS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %al,%es:(%rdi)"),
    C(64, "\xf3\xaa", X86_STOS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %al,%es:(%rdi)"),
    C(64, "\xac", X86_LODS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%rsi),%al"),
    C(64, "\xf3\xac", X86_LODS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%rsi),%al"),
    C(64, "\xa6", X86_CMPS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsb %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xf3\xa6", X86_CMPS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsb %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xae", X86_SCAS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%rdi),%al"),
    C(64, "\xf3\xae", X86_SCAS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%rdi),%al"),
    C(64, "\xf2\xae", X86_SCAS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%rdi),%al"),
    C(64, "\xf2\xa6", X86_CMPS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x66\xa5", X86_MOVS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsw %ds:(%rsi),%es:(%rdi)"),
    C(64, "\x66\xf3\xa5", X86_MOVS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsw %ds:(%rsi),%es:(%rdi)"),
    C(64, "\x66\xab", X86_STOS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %ax,%es:(%rdi)"),
    C(64, "\x66\xf3\xab", X86_STOS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %ax,%es:(%rdi)"),
    C(64, "\x66\xad", X86_LODS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%rsi),%ax"),
    C(64, "\x66\xf3\xad", X86_LODS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%rsi),%ax"),
    C(64, "\x66\xa7", X86_CMPS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsw %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x66\xf3\xa7", X86_CMPS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsw %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x66\xaf", X86_SCAS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%rdi),%ax"),
    C(64, "\x66\xf3\xaf", X86_SCAS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%rdi),%ax"),
    C(64, "\x66\xf2\xaf", X86_SCAS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%rdi),%ax"),
    C(64, "\x66\xf2\xa7", X86_CMPS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsw %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xa5", X86_MOVS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsl %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xf3\xa5", X86_MOVS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xab", X86_STOS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %eax,%es:(%rdi)"),
    C(64, "\xf3\xab", X86_STOS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%rdi)"),
    C(64, "\xad", X86_LODS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%rsi),%eax"),
    C(64, "\xf3\xad", X86_LODS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%rsi),%eax"),
    C(64, "\xa7", X86_CMPS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsl %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xf3\xa7", X86_CMPS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsl %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xaf", X86_SCAS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%rdi),%eax"),
    C(64, "\xf3\xaf", X86_SCAS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%rdi),%eax"),
    C(64, "\xf2\xaf", X86_SCAS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%rdi),%eax"),
    C(64, "\xf2\xa7", X86_CMPS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsl %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x48\xa5", X86_MOVS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsq %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xf3\x48\xa5", X86_MOVS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsq %ds:(%rsi),%es:(%rdi)"),
    C(64, "\x48\xab", X86_STOS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %rax,%es:(%rdi)"),
    C(64, "\xf3\x48\xab", X86_STOS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %rax,%es:(%rdi)"),
    C(64, "\x48\xad", X86_LODS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%rsi),%rax"),
    C(64, "\xf3\x48\xad", X86_LODS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%rsi),%rax"),
    C(64, "\x48\xa7", X86_CMPS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsq %es:(%rdi),%ds:(%rsi)"),
    C(64, "\xf3\x48\xa7", X86_CMPS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsq %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x48\xaf", X86_SCAS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%rdi),%rax"),
    C(64, "\xf3\x48\xaf", X86_SCAS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%rdi),%rax"),
    C(64, "\xf2\x48\xaf", X86_SCAS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%rdi),%rax"),
    C(64, "\xf2\x48\xa7", X86_CMPS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsq %es:(%rdi),%ds:(%rsi)"),
    C(64, "\x64\xa4", X86_MOVS, 1, 8, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %fs:(%rsi),%es:(%rdi)"),
    C(64, "\x65\xad", X86_LODS, 4, 8, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %gs:(%rsi),%eax"),
    C(64, "\x67\xa4", X86_MOVS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%esi),%es:(%edi)"),
    C(64, "\x67\xf3\xab", X86_STOS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%edi)"),
    C(64, "\x64\xf3\xa5", X86_MOVS, 4, 8, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %fs:(%rsi),%es:(%rdi)"),
    C(64, "\x65\xf2\xa6", X86_CMPS, 1, 8, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%rdi),%gs:(%rsi)"),
    C(64, "\xf3\x48\xa5", X86_MOVS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsq %ds:(%rsi),%es:(%rdi)"),
    C(64, "\xf3\x48\xab", X86_STOS, 8, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %rax,%es:(%rdi)"),
    C(64, "\x48\xad", X86_LODS, 8, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%rsi),%rax"),
    C(64, "\xf4", X86_HLT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "hlt"),
    C(64, "\xf3\x90", X86_PAUSE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "pause"),
    C(64, "\x90", X86_NOP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "nop"),
    C(64, "\x0f\xa2", X86_CPUID, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cpuid"),
    C(64, "\x0f\x32", X86_RDMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdmsr"),
    C(64, "\x0f\x30", X86_WRMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wrmsr"),
    C(64, "\x0f\x31", X86_RDTSC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtsc"),
    C(64, "\x0f\x01\xf9", X86_RDTSCP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtscp"),
    C(64, "\x0f\x33", X86_RDPMC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdpmc"),
    C(64, "\x0f\x06", X86_CLTS, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clts"),
    C(64, "\x0f\x08", X86_INVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invd"),
    C(64, "\x0f\x09", X86_WBINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbinvd"),
    C(64, "\xf3\x0f\x09", X86_WBNOINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbnoinvd"),
    C(64, "\x0f\x01\xd8", X86_VMRUN, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmrun"),
    C(64, "\x0f\x01\xd9", X86_VMMCALL, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmmcall"),
    C(64, "\x0f\x01\xda", X86_VMLOAD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmload"),
    C(64, "\x0f\x01\xdb", X86_VMSAVE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmsave"),
    C(64, "\x0f\x01\xdc", X86_STGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stgi"),
    C(64, "\x0f\x01\xdd", X86_CLGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clgi"),
    C(64, "\x0f\x01\xde", X86_SKINIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "skinit"),
    C(64, "\x0f\x01\xdf", X86_INVLPGA, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpga"),
    C(64, "\x0f\x01\xc8", X86_MONITOR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "monitor %rax,%ecx,%edx"),
    C(64, "\x0f\x01\xc9", X86_MWAIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mwait %eax,%ecx"),
    C(64, "\x0f\x01\xd1", X86_XSETBV, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xsetbv"),
    C(64, "\xe4\x80", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "in $0x80,%al"),
    C(64, "\x66\xe5\x71", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x71, -1, -1, "in $0x71,%ax"),
    C(64, "\xe5\xfe", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xfe, -1, -1, "in $0xfe,%eax"),
    C(64, "\xec", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%al"),
    C(64, "\x66\xed", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%ax"),
    C(64, "\xed", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%eax"),
    C(64, "\xe6\x80", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "out %al,$0x80"),
    C(64, "\x66\xe7\x70", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x70, -1, -1, "out %ax,$0x70"),
    C(64, "\xe7\xcf", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xcf, -1, -1, "out %eax,$0xcf"),
    C(64, "\xee", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %al,(%dx)"),
    C(64, "\x66\xef", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %ax,(%dx)"),
    C(64, "\xef", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %eax,(%dx)"),
    C(64, "\x6c", X86_INS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insb (%dx),%es:(%rdi)"),
    C(64, "\x66\x6d", X86_INS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insw (%dx),%es:(%rdi)"),
    C(64, "\x6d", X86_INS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insl (%dx),%es:(%rdi)"),
    C(64, "\x6e", X86_OUTS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %ds:(%rsi),(%dx)"),
    C(64, "\x66\x6f", X86_OUTS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsw %ds:(%rsi),(%dx)"),
    C(64, "\x6f", X86_OUTS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsl %ds:(%rsi),(%dx)"),
    C(64, "\xf3\x6c", X86_INS, 1, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insb (%dx),%es:(%rdi)"),
    C(64, "\x66\xf3\x6d", X86_INS, 2, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insw (%dx),%es:(%rdi)"),
    C(64, "\xf3\x6d", X86_INS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insl (%dx),%es:(%rdi)"),
    C(64, "\xf3\x6e", X86_OUTS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsb %ds:(%rsi),(%dx)"),
    C(64, "\x66\xf3\x6f", X86_OUTS, 2, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsw %ds:(%rsi),(%dx)"),
    C(64, "\xf3\x6f", X86_OUTS, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsl %ds:(%rsi),(%dx)"),
    C(64, "\x64\x6e", X86_OUTS, 1, 8, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %fs:(%rsi),(%dx)"),
    C(64, "\x0f\x01\x38", X86_INVLPG, 0, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpg (%rax)"),
    C(64, "\x0f\x01\x3d\x00\x10\x00\x00", X86_INVLPG, 0, 8, 3, -1, -1, 0, 1, 0x1000, NOIMM, NOPORT, -1, -1, "invlpg 0x1000(%rip)"),
    C(64, "\x64\x0f\x01\x7c\x8b\x08", X86_INVLPG, 0, 8, 4, 3, 1, 4, 0, 0x8, NOIMM, NOPORT, -1, -1, "invlpg %fs:0x8(%rbx,%rcx,4)"),
    C(64, "\x0f\x01\xe0", X86_SMSW, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %eax"),
    C(64, "\x66\x0f\x01\xe0", X86_SMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %ax"),
    C(64, "\x0f\x01\x20", X86_SMSW, 2, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw (%rax)"),
    C(64, "\x0f\x01\xf0", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %ax"),
    C(64, "\x0f\x01\x33", X86_LMSW, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw (%rbx)"),
    C(64, "\x41\x0f\x01\xf1", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %r9w"),
    C(64, "\x48\x0f\x01\xe2", X86_SMSW, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %rdx"),
    C(64, "\x41\x0f\x01\xe2", X86_SMSW, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %r10d"),
    C(64, "\x41\x0f\x01\x7d\x00", X86_INVLPG, 0, 8, 3, 13, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpg 0x0(%r13)"),
    C(64, "\xf3\x6e", X86_OUTS, 1, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsb %ds:(%rsi),(%dx)"),
    C(64, "\x48\x6d", X86_INS, 4, 8, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rex.W insl (%dx),%es:(%rdi)"),
    C(64, "\x0f\x20\xc0", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %cr0,%rax"),
    C(64, "\x0f\x22\xc0", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %rax,%cr0"),
    C(64, "\x0f\x21\xc0", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %db0,%rax"),
    C(64, "\x0f\x23\xc0", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %rax,%db0"),
    C(64, "\x0f\x20\xe2", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %cr4,%rdx"),
    C(64, "\x0f\x22\xe2", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %rdx,%cr4"),
    C(64, "\x0f\x21\xda", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %db3,%rdx"),
    C(64, "\x0f\x23\xda", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %rdx,%db3"),
    C(64, "\x44\x0f\x20\xc4", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 8, 4, "mov %cr8,%rsp"),
    C(64, "\x44\x0f\x22\xc4", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 8, 4, "mov %rsp,%cr8"),
    C(64, "\x0f\x20\xde", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 6, "mov %cr3,%rsi"),
    C(64, "\x0f\x22\xde", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 6, "mov %rsi,%cr3"),
    C(64, "\x0f\x21\xfe", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %db7,%rsi"),
    C(64, "\x0f\x23\xfe", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %rsi,%db7"),
    C(64, "\x41\x0f\x20\xe0", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 8, "mov %cr4,%r8"),
    C(64, "\x41\x0f\x22\xe0", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 8, "mov %r8,%cr4"),
    C(64, "\x41\x0f\x21\xc0", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 8, "mov %db0,%r8"),
    C(64, "\x41\x0f\x23\xc0", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 8, "mov %r8,%db0"),
    C(64, "\x41\x0f\x20\xd2", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 2, 10, "mov %cr2,%r10"),
    C(64, "\x41\x0f\x22\xd2", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 2, 10, "mov %r10,%cr2"),
    C(64, "\x41\x0f\x21\xda", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 10, "mov %db3,%r10"),
    C(64, "\x41\x0f\x23\xda", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 10, "mov %r10,%db3"),
    C(64, "\x41\x0f\x20\xdc", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 12, "mov %cr3,%r12"),
    C(64, "\x41\x0f\x22\xdc", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 12, "mov %r12,%cr3"),
    C(64, "\x41\x0f\x20\xc6", X86_MOV_FROM_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 14, "mov %cr0,%r14"),
    C(64, "\x41\x0f\x22\xc6", X86_MOV_TO_CR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 14, "mov %r14,%cr0"),
    C(64, "\x41\x0f\x21\xfe", X86_MOV_FROM_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 14, "mov %db7,%r14"),
    C(64, "\x41\x0f\x23\xfe", X86_MOV_TO_DR, 8, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 14, "mov %r14,%db7"),
    C(64, "\x8b\x00", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax),%eax"),
    C(64, "\x8b\x18", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax),%ebx"),
    C(64, "\x8b\x09", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx),%ecx"),
    C(64, "\x8b\x21", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx),%esp"),
    C(64, "\x8b\x12", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx),%edx"),
    C(64, "\x8b\x2a", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx),%ebp"),
    C(64, "\x8b\x1b", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%ebx"),
    C(64, "\x8b\x33", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx),%esi"),
    C(64, "\x8b\x24\x11", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rdx,1),%esp"),
    C(64, "\x8b\x3c\x11", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rdx,1),%edi"),
    C(64, "\x8b\x2d\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, -1, 0, 1, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rip),%ebp"),
    C(64, "\x8b\x05\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, -1, 0, 1, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rip),%eax"),
    C(64, "\x8b\x36", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi),%esi"),
    C(64, "\x8b\x0e", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi),%ecx"),
    C(64, "\x8b\x3f", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi),%edi"),
    C(64, "\x8b\x17", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi),%edx"),
    C(64, "\x8b\x48\x11", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rax),%ecx"),
    C(64, "\x8b\x60\x11", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rax),%esp"),
    C(64, "\x8b\x51\x11", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rcx),%edx"),
    C(64, "\x8b\x69\x11", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rcx),%ebp"),
    C(64, "\x8b\x5a\x11", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rdx),%ebx"),
    C(64, "\x8b\x72\x11", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rdx),%esi"),
    C(64, "\x8b\x63\x11", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rbx),%esp"),
    C(64, "\x8b\x7b\x11", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rbx),%edi"),
    C(64, "\x8b\x6c\x11\x22", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%rcx,%rdx,1),%ebp"),
    C(64, "\x8b\x44\x11\x22", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%rcx,%rdx,1),%eax"),
    C(64, "\x8b\x75\x11", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rbp),%esi"),
    C(64, "\x8b\x4d\x11", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rbp),%ecx"),
    C(64, "\x8b\x7e\x11", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rsi),%edi"),
    C(64, "\x8b\x56\x11", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rsi),%edx"),
    C(64, "\x8b\x47\x11", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rdi),%eax"),
    C(64, "\x8b\x5f\x11", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%rdi),%ebx"),
    C(64, "\x8b\x90\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rax),%edx"),
    C(64, "\x8b\xa8\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rax),%ebp"),
    C(64, "\x8b\x99\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rcx),%ebx"),
    C(64, "\x8b\xb1\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rcx),%esi"),
    C(64, "\x8b\xa2\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdx),%esp"),
    C(64, "\x8b\xba\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdx),%edi"),
    C(64, "\x8b\xab\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbx),%ebp"),
    C(64, "\x8b\x83\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbx),%eax"),
    C(64, "\x8b\xb4\x11\x22\x33\x44\x55", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%rcx,%rdx,1),%esi"),
    C(64, "\x8b\x8c\x11\x22\x33\x44\x55", X86_MOV, 4, 8, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%rcx,%rdx,1),%ecx"),
    C(64, "\x8b\xbd\x11\x22\x33\x44", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbp),%edi"),
    C(64, "\x8b\x95\x11\x22\x33\x44", X86_MOV, 4, 8, 2, 5, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbp),%edx"),
    C(64, "\x8b\x86\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rsi),%eax"),
    C(64, "\x8b\x9e\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rsi),%ebx"),
    C(64, "\x8b\x8f\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdi),%ecx"),
    C(64, "\x8b\xa7\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdi),%esp"),
    C(64, "\x8b\xc7", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %edi,%eax"),
    C(64, "\x8b\xce", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %esi,%ecx"),
    C(64, "\x8b\xd5", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ebp,%edx"),
    C(64, "\x8b\xdc", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %esp,%ebx"),
    C(64, "\x8b\xe3", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ebx,%esp"),
    C(64, "\x8b\xea", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %edx,%ebp"),
    C(64, "\x8b\xf1", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,%esi"),
    C(64, "\x8b\xf8", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %eax,%edi"),
    C(64, "\x8b\x0c\x00", X86_MOV, 4, 8, 3, 0, 0, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rax,1),%ecx"),
    C(64, "\x8b\x0c\x41", X86_MOV, 4, 8, 3, 1, 0, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rax,2),%ecx"),
    C(64, "\x8b\x0c\x82", X86_MOV, 4, 8, 3, 2, 0, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rax,4),%ecx"),
    C(64, "\x8b\x0c\xc3", X86_MOV, 4, 8, 3, 3, 0, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rax,8),%ecx"),
    C(64, "\x8b\x0c\x04", X86_MOV, 4, 8, 2, 4, 0, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rax,1),%ecx"),
    C(64, "\x8b\x0c\x45\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 0, 2, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rax,2),%ecx"),
    C(64, "\x8b\x0c\x86", X86_MOV, 4, 8, 3, 6, 0, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rax,4),%ecx"),
    C(64, "\x8b\x0c\xc7", X86_MOV, 4, 8, 3, 7, 0, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rax,8),%ecx"),
    C(64, "\x8b\x0c\x48", X86_MOV, 4, 8, 3, 0, 1, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rcx,2),%ecx"),
    C(64, "\x8b\x0c\x89", X86_MOV, 4, 8, 3, 1, 1, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rcx,4),%ecx"),
    C(64, "\x8b\x0c\xca", X86_MOV, 4, 8, 3, 2, 1, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rcx,8),%ecx"),
    C(64, "\x8b\x0c\x0b", X86_MOV, 4, 8, 3, 3, 1, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rcx,1),%ecx"),
    C(64, "\x8b\x0c\x4c", X86_MOV, 4, 8, 2, 4, 1, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rcx,2),%ecx"),
    C(64, "\x8b\x0c\x8d\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 1, 4, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rcx,4),%ecx"),
    C(64, "\x8b\x0c\xce", X86_MOV, 4, 8, 3, 6, 1, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rcx,8),%ecx"),
    C(64, "\x8b\x0c\x0f", X86_MOV, 4, 8, 3, 7, 1, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rcx,1),%ecx"),
    C(64, "\x8b\x0c\x90", X86_MOV, 4, 8, 3, 0, 2, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rdx,4),%ecx"),
    C(64, "\x8b\x0c\xd1", X86_MOV, 4, 8, 3, 1, 2, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rdx,8),%ecx"),
    C(64, "\x8b\x0c\x12", X86_MOV, 4, 8, 3, 2, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rdx,1),%ecx"),
    C(64, "\x8b\x0c\x53", X86_MOV, 4, 8, 3, 3, 2, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rdx,2),%ecx"),
    C(64, "\x8b\x0c\x94", X86_MOV, 4, 8, 2, 4, 2, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rdx,4),%ecx"),
    C(64, "\x8b\x0c\xd5\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 2, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rdx,8),%ecx"),
    C(64, "\x8b\x0c\x16", X86_MOV, 4, 8, 3, 6, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rdx,1),%ecx"),
    C(64, "\x8b\x0c\x57", X86_MOV, 4, 8, 3, 7, 2, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rdx,2),%ecx"),
    C(64, "\x8b\x0c\xd8", X86_MOV, 4, 8, 3, 0, 3, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rbx,8),%ecx"),
    C(64, "\x8b\x0c\x19", X86_MOV, 4, 8, 3, 1, 3, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rbx,1),%ecx"),
    C(64, "\x8b\x0c\x5a", X86_MOV, 4, 8, 3, 2, 3, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rbx,2),%ecx"),
    C(64, "\x8b\x0c\x9b", X86_MOV, 4, 8, 3, 3, 3, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rbx,4),%ecx"),
    C(64, "\x8b\x0c\xdc", X86_MOV, 4, 8, 2, 4, 3, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rbx,8),%ecx"),
    C(64, "\x8b\x0c\x1d\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 3, 1, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rbx,1),%ecx"),
    C(64, "\x8b\x0c\x5e", X86_MOV, 4, 8, 3, 6, 3, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rbx,2),%ecx"),
    C(64, "\x8b\x0c\x9f", X86_MOV, 4, 8, 3, 7, 3, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rbx,4),%ecx"),
    C(64, "\x8b\x0c\x20", X86_MOV, 4, 8, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%riz,1),%ecx"),
    C(64, "\x8b\x0c\x61", X86_MOV, 4, 8, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%riz,2),%ecx"),
    C(64, "\x8b\x0c\xa2", X86_MOV, 4, 8, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%riz,4),%ecx"),
    C(64, "\x8b\x0c\xe3", X86_MOV, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%riz,8),%ecx"),
    C(64, "\x8b\x0c\x24", X86_MOV, 4, 8, 2, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp),%ecx"),
    C(64, "\x8b\x0c\x65\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%riz,2),%ecx"),
    C(64, "\x8b\x0c\xa6", X86_MOV, 4, 8, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%riz,4),%ecx"),
    C(64, "\x8b\x0c\xe7", X86_MOV, 4, 8, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%riz,8),%ecx"),
    C(64, "\x8b\x0c\x68", X86_MOV, 4, 8, 3, 0, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rbp,2),%ecx"),
    C(64, "\x8b\x0c\xa9", X86_MOV, 4, 8, 3, 1, 5, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rbp,4),%ecx"),
    C(64, "\x8b\x0c\xea", X86_MOV, 4, 8, 3, 2, 5, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rbp,8),%ecx"),
    C(64, "\x8b\x0c\x2b", X86_MOV, 4, 8, 3, 3, 5, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rbp,1),%ecx"),
    C(64, "\x8b\x0c\x6c", X86_MOV, 4, 8, 2, 4, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rbp,2),%ecx"),
    C(64, "\x8b\x0c\xad\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 5, 4, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rbp,4),%ecx"),
    C(64, "\x8b\x0c\xee", X86_MOV, 4, 8, 3, 6, 5, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rbp,8),%ecx"),
    C(64, "\x8b\x0c\x2f", X86_MOV, 4, 8, 3, 7, 5, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rbp,1),%ecx"),
    C(64, "\x8b\x0c\xb0", X86_MOV, 4, 8, 3, 0, 6, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rsi,4),%ecx"),
    C(64, "\x8b\x0c\xf1", X86_MOV, 4, 8, 3, 1, 6, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rsi,8),%ecx"),
    C(64, "\x8b\x0c\x32", X86_MOV, 4, 8, 3, 2, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rsi,1),%ecx"),
    C(64, "\x8b\x0c\x73", X86_MOV, 4, 8, 3, 3, 6, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rsi,2),%ecx"),
    C(64, "\x8b\x0c\xb4", X86_MOV, 4, 8, 2, 4, 6, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rsi,4),%ecx"),
    C(64, "\x8b\x0c\xf5\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 6, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rsi,8),%ecx"),
    C(64, "\x8b\x0c\x36", X86_MOV, 4, 8, 3, 6, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rsi,1),%ecx"),
    C(64, "\x8b\x0c\x77", X86_MOV, 4, 8, 3, 7, 6, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rsi,2),%ecx"),
    C(64, "\x8b\x0c\xf8", X86_MOV, 4, 8, 3, 0, 7, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rax,%rdi,8),%ecx"),
    C(64, "\x8b\x0c\x39", X86_MOV, 4, 8, 3, 1, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rcx,%rdi,1),%ecx"),
    C(64, "\x8b\x0c\x7a", X86_MOV, 4, 8, 3, 2, 7, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdx,%rdi,2),%ecx"),
    C(64, "\x8b\x0c\xbb", X86_MOV, 4, 8, 3, 3, 7, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rbx,%rdi,4),%ecx"),
    C(64, "\x8b\x0c\xfc", X86_MOV, 4, 8, 2, 4, 7, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsp,%rdi,8),%ecx"),
    C(64, "\x8b\x0c\x3d\x11\x22\x33\x44", X86_MOV, 4, 8, 3, -1, 7, 1, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(,%rdi,1),%ecx"),
    C(64, "\x8b\x0c\x7e", X86_MOV, 4, 8, 3, 6, 7, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rsi,%rdi,2),%ecx"),
    C(64, "\x8b\x0c\xbf", X86_MOV, 4, 8, 3, 7, 7, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%rdi,%rdi,4),%ecx"),
    C(64, "\x43\x8b\x4c\x00\x11", X86_MOV, 4, 8, 3, 8, 8, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r8,%r8,1),%ecx"),
    C(64, "\x43\x8b\x4c\x45\x11", X86_MOV, 4, 8, 3, 13, 8, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r13,%r8,2),%ecx"),
    C(64, "\x43\x8b\x4c\xca\x11", X86_MOV, 4, 8, 3, 10, 9, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r10,%r9,8),%ecx"),
    C(64, "\x43\x8b\x4c\x0f\x11", X86_MOV, 4, 8, 3, 15, 9, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r15,%r9,1),%ecx"),
    C(64, "\x43\x8b\x4c\x94\x11", X86_MOV, 4, 8, 3, 12, 10, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r12,%r10,4),%ecx"),
    C(64, "\x43\x8b\x4c\x19\x11", X86_MOV, 4, 8, 3, 9, 11, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r9,%r11,1),%ecx"),
    C(64, "\x43\x8b\x4c\x5e\x11", X86_MOV, 4, 8, 3, 14, 11, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r14,%r11,2),%ecx"),
    C(64, "\x43\x8b\x4c\xe3\x11", X86_MOV, 4, 8, 3, 11, 12, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r11,%r12,8),%ecx"),
    C(64, "\x43\x8b\x4c\x68\x11", X86_MOV, 4, 8, 3, 8, 13, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r8,%r13,2),%ecx"),
    C(64, "\x43\x8b\x4c\xad\x11", X86_MOV, 4, 8, 3, 13, 13, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r13,%r13,4),%ecx"),
    C(64, "\x43\x8b\x4c\x32\x11", X86_MOV, 4, 8, 3, 10, 14, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r10,%r14,1),%ecx"),
    C(64, "\x43\x8b\x4c\x77\x11", X86_MOV, 4, 8, 3, 15, 14, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r15,%r14,2),%ecx"),
    C(64, "\x43\x8b\x4c\xfc\x11", X86_MOV, 4, 8, 3, 12, 15, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r12,%r15,8),%ecx"),
    C(64, "\x4e\x8b\x8c\x00\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 0, 8, 1, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rax,%r8,1),%r9"),
    C(64, "\x4e\x8b\x8c\xc7\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 7, 8, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdi,%r8,8),%r9"),
    C(64, "\x4e\x8b\x8c\xce\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 6, 9, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rsi,%r9,8),%r9"),
    C(64, "\x4e\x8b\x8c\xd5\x11\x22\x33\x44", X86_MOV, 8, 8, 2, 5, 10, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbp,%r10,8),%r9"),
    C(64, "\x4e\x8b\x8c\xdc\x11\x22\x33\x44", X86_MOV, 8, 8, 2, 4, 11, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rsp,%r11,8),%r9"),
    C(64, "\x4e\x8b\x8c\xe3\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 3, 12, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rbx,%r12,8),%r9"),
    C(64, "\x4e\x8b\x8c\xea\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 2, 13, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdx,%r13,8),%r9"),
    C(64, "\x4e\x8b\x8c\xf1\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 1, 14, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rcx,%r14,8),%r9"),
    C(64, "\x4e\x8b\x8c\xf8\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 0, 15, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rax,%r15,8),%r9"),
    C(64, "\x4e\x8b\x8c\xbf\x11\x22\x33\x44", X86_MOV, 8, 8, 3, 7, 15, 4, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%rdi,%r15,4),%r9"),
    C(64, "\x45\x8b\x00", X86_MOV, 4, 8, 3, 8, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r8),%r8d"),
    C(64, "\x45\x8b\x21", X86_MOV, 4, 8, 3, 9, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r9),%r12d"),
    C(64, "\x45\x8b\x1b", X86_MOV, 4, 8, 3, 11, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r11),%r11d"),
    C(64, "\x45\x8b\x3c\x11", X86_MOV, 4, 8, 3, 9, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r9,%rdx,1),%r15d"),
    C(64, "\x45\x8b\x36", X86_MOV, 4, 8, 3, 14, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r14),%r14d"),
    C(64, "\x45\x8b\x17", X86_MOV, 4, 8, 3, 15, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%r15),%r10d"),
    C(64, "\x45\x8b\x51\x11", X86_MOV, 4, 8, 3, 9, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r9),%r10d"),
    C(64, "\x45\x8b\x72\x11", X86_MOV, 4, 8, 3, 10, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r10),%r14d"),
    C(64, "\x45\x8b\x6c\x11\x22", X86_MOV, 4, 8, 3, 9, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%r9,%rdx,1),%r13d"),
    C(64, "\x45\x8b\x4d\x11", X86_MOV, 4, 8, 3, 13, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r13),%r9d"),
    C(64, "\x45\x8b\x47\x11", X86_MOV, 4, 8, 3, 15, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%r15),%r8d"),
    C(64, "\x45\x8b\xa8\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 8, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%r8),%r13d"),
    C(64, "\x45\x8b\xa2\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 10, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%r10),%r12d"),
    C(64, "\x45\x8b\x83\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 11, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%r11),%r8d"),
    C(64, "\x45\x8b\xbd\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 13, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%r13),%r15d"),
    C(64, "\x45\x8b\x9e\x11\x22\x33\x44", X86_MOV, 4, 8, 3, 14, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%r14),%r11d"),
    C(64, "\x45\x8b\xc7", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %r15d,%r8d"),
    C(64, "\x45\x8b\xdc", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %r12d,%r11d"),
    C(64, "\x45\x8b\xf1", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %r9d,%r14d"),
    C(64, "\x67\x8b\x00", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%eax"),
    C(64, "\x67\x8b\x12", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edx),%edx"),
    C(64, "\x67\x8b\x24\x11", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx,%edx,1),%esp"),
    C(64, "\x67\x8b\x36", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esi),%esi"),
    C(64, "\x67\x8b\x48\x11", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax),%ecx"),
    C(64, "\x67\x8b\x5a\x11", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edx),%ebx"),
    C(64, "\x67\x8b\x6c\x11\x22", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%ecx,%edx,1),%ebp"),
    C(64, "\x67\x8b\x7e\x11", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esi),%edi"),
    C(64, "\x67\x8b\x90\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%eax),%edx"),
    C(64, "\x67\x8b\xa2\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edx),%esp"),
    C(64, "\x67\x8b\xb4\x11\x22\x33\x44\x55", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%ecx,%edx,1),%esi"),
    C(64, "\x67\x8b\x86\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%esi),%eax"),
    C(64, "\x67\x8b\xc7", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %edi,%eax"),
    C(64, "\x67\x8b\xe3", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %ebx,%esp"),
    C(64, "\x64\x48\x8b\x01", X86_MOV, 8, 8, 4, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %fs:(%rcx),%rax"),
    C(64, "\x64\x48\x8b\x18", X86_MOV, 8, 8, 4, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %fs:(%rax),%rbx"),
    C(64, "\x64\x48\x8b\x2f", X86_MOV, 8, 8, 4, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %fs:(%rdi),%rbp"),
    C(64, "\x64\x48\x8b\x46\x11", X86_MOV, 8, 8, 4, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov %fs:0x11(%rsi),%rax"),
    C(64, "\x64\x48\x8b\x5d\x11", X86_MOV, 8, 8, 4, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov %fs:0x11(%rbp),%rbx"),
    C(64, "\x64\x48\x8b\x74\x11\x22", X86_MOV, 8, 8, 4, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov %fs:0x22(%rcx,%rdx,1),%rsi"),
    C(64, "\x64\x48\x8b\x8b\x11\x22\x33\x44", X86_MOV, 8, 8, 4, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %fs:0x44332211(%rbx),%rcx"),
    C(64, "\x64\x48\x8b\xa2\x11\x22\x33\x44", X86_MOV, 8, 8, 4, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %fs:0x44332211(%rdx),%rsp"),
    C(64, "\x64\x48\x8b\xb9\x11\x22\x33\x44", X86_MOV, 8, 8, 4, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %fs:0x44332211(%rcx),%rdi"),
    C(64, "\x2e\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 8, 3, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "cs addl $0x12345678,(%rax)"),
    C(64, "\x2e\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 8, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "cs add %ecx,0x40302010(%rax,%rcx,4)"),
    C(64, "\x3e\x26\xc7\x44\x24\x08\x01\x02\x03\x04", X86_MOV, 4, 8, 2, 4, -1, 0, 0, 0x8, 0x4030201, NOPORT, -1, -1, "ds es movl $0x4030201,0x8(%rsp)"),
    C(64, "\x3e\x26\x0f\xb1\x0b", X86_CMPXCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "ds es cmpxchg %ecx,(%rbx)"),
    C(64, "\x36\x64\x65\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 8, 5, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "ss fs addl $0x12345678,%gs:(%rax)"),
    C(64, "\x36\x64\x65\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 8, 5, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "ss fs add %ecx,%gs:0x40302010(%rax,%rcx,4)"),
    C(64, "\xf2\xc7\x44\x24\x08\x01\x02\x03\x04", X86_MOV, 4, 8, 2, 4, -1, 0, 0, 0x8, 0x4030201, NOPORT, -1, -1, "repnz movl $0x4030201,0x8(%rsp)"),
    C(64, "\xf2\x0f\xb1\x0b", X86_CMPXCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpxchg %ecx,(%rbx)"),
    C(64, "\xf3\xf2\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 8, 3, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "repz repnz addl $0x12345678,(%rax)"),
    C(64, "\xf3\xf2\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 8, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "repz repnz add %ecx,0x40302010(%rax,%rcx,4)"),
    C(64, "\x66\x66\xc7\x44\x24\x08\x01\x02", X86_MOV, 2, 8, 2, 4, -1, 0, 0, 0x8, 0x201, NOPORT, -1, -1, "data16 movw $0x201,0x8(%rsp)"),
    C(64, "\x66\x66\x0f\xb1\x0b", X86_CMPXCHG, 2, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "data16 cmpxchg %cx,(%rbx)"),
    C(64, "\x67\x66\x81\x00\x78\x56", X86_ADD, 2, 4, 3, 0, -1, 0, 0, 0x0, 0x5678, NOPORT, -1, -1, "addw $0x5678,(%eax)"),
    C(64, "\x67\x66\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 2, 4, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "add %cx,0x40302010(%eax,%ecx,4)"),
    C(64, "\x66\x67\xc7\x44\x24\x08\x01\x02", X86_MOV, 2, 4, 2, 4, -1, 0, 0, 0x8, 0x201, NOPORT, -1, -1, "movw $0x201,0x8(%esp)"),
    C(64, "\x66\x67\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cx,(%ebx)"),
    C(64, "\x26\x2e\x36\x3e\x64\x65\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 8, 5, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "es cs ss ds fs addl $0x12345678,%gs:(%rax)"),
    C(64, "\x26\x2e\x36\x3e\x64\x65\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 8, 5, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "es cs ss ds fs add %ecx,%gs:0x40302010(%rax,%rcx,4)"),
    C(64, "\xf0\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 8, 3, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "lock addl $0x12345678,(%rax)"),
    C(64, "\xf0\x0f\xb1\x0b", X86_CMPXCHG, 4, 8, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %ecx,(%rbx)"),
    C(64, "\xf0\x66\x81\x00\x78\x56", X86_ADD, 2, 8, 3, 0, -1, 0, 0, 0x0, 0x5678, NOPORT, -1, -1, "lock addw $0x5678,(%rax)"),
    C(64, "\xf0\x66\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 2, 8, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "lock add %cx,0x40302010(%rax,%rcx,4)"),
    C(64, "\x66\xf0\x65\x81\x00\x78\x56", X86_ADD, 2, 8, 5, 0, -1, 0, 0, 0x0, 0x5678, NOPORT, -1, -1, "lock addw $0x5678,%gs:(%rax)"),
    C(64, "\x66\xf0\x65\x0f\xb1\x0b", X86_CMPXCHG, 2, 8, 5, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %cx,%gs:(%rbx)"),
    /* ---- 32-bit code ---- */
    C(32, "\x89\x4c\xb3\x12", X86_MOV, 4, 4, 3, 3, 6, 4, 0, 0x12, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12(%ebx,%esi,4)"),
    C(32, "\x89\x0d\x78\x56\x34\x12", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12345678"),
    C(32, "\x8b\x14\x24", X86_MOV, 4, 4, 2, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp),%edx"),
    C(32, "\x64\x89\x0d\x34\x12\x00\x00", X86_MOV, 4, 0, 4, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov %ecx,%fs:0x1234"),
    C(32, "\x26\x8b\x45\x00", X86_MOV, 4, 4, 0, 5, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %es:0x0(%ebp),%eax"),
    C(32, "\xa0\x78\x56\x34\x12", X86_MOV, 1, 0, 3, -1, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov 0x12345678,%al"),
    C(32, "\xa3\x78\x56\x34\x12", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov %eax,0x12345678"),
    C(32, "\x66\xa1\x34\x12\x00\x00", X86_MOV, 2, 0, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov 0x1234,%ax"),
    C(32, "\x67\xa1\x34\x12", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "addr16 mov 0x1234,%eax"),
    C(32, "\x67\x89\x4a\x12", X86_MOV, 4, 2, 2, 5, 6, 1, 0, 0x12, NOIMM, NOPORT, -1, -1, "mov %ecx,0x12(%bp,%si)"),
    C(32, "\x67\x8b\x09", X86_MOV, 4, 2, 3, 3, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%di),%ecx"),
    C(32, "\x67\x8b\x96\xcc\xed", X86_MOV, 4, 2, 2, 5, -1, 0, 0, -0x1234, NOIMM, NOPORT, -1, -1, "mov -0x1234(%bp),%edx"),
    C(32, "\x36\x8b\x00", X86_MOV, 4, 4, 2, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ss:(%eax),%eax"),
    C(32, "\x2e\x8b\x45\x00", X86_MOV, 4, 4, 1, 5, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cs:0x0(%ebp),%eax"),
    C(32, "\x3e\x8b\x04\x24", X86_MOV, 4, 4, 3, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ds:(%esp),%eax"),
    C(32, "\x66\x8b\x00", X86_MOV, 2, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%ax"),
    C(32, "\x65\xc6\x00\x01", X86_MOV, 1, 4, 5, 0, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "movb $0x1,%gs:(%eax)"),
    C(32, "\x00\x0b", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cl,(%ebx)"),
    C(32, "\x02\x0b", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%cl"),
    C(32, "\x80\x03\x12", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addb $0x12,(%ebx)"),
    C(32, "\x66\x01\x0b", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cx,(%ebx)"),
    C(32, "\x66\x03\x0b", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%cx"),
    C(32, "\x66\x83\x03\x12", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addw $0x12,(%ebx)"),
    C(32, "\x01\x0b", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,(%ebx)"),
    C(32, "\x03\x0b", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%ecx"),
    C(32, "\x83\x03\x12", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addl $0x12,(%ebx)"),
    C(32, "\x66\x81\x03\x34\x12", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "addw $0x1234,(%ebx)"),
    C(32, "\x81\x03\x78\x56\x34\x12", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "addl $0x12345678,(%ebx)"),
    C(32, "\x83\x43\x40\xff", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x40, 0xffffffffULL, NOPORT, -1, -1, "addl $0xffffffff,0x40(%ebx)"),
    C(32, "\x18\x0b", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %cl,(%ebx)"),
    C(32, "\x1a\x0b", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%cl"),
    C(32, "\x80\x1b\x12", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbb $0x12,(%ebx)"),
    C(32, "\x66\x19\x0b", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %cx,(%ebx)"),
    C(32, "\x66\x1b\x0b", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%cx"),
    C(32, "\x66\x83\x1b\x12", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbw $0x12,(%ebx)"),
    C(32, "\x19\x0b", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %ecx,(%ebx)"),
    C(32, "\x1b\x0b", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%ecx"),
    C(32, "\x83\x1b\x12", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbl $0x12,(%ebx)"),
    C(32, "\x66\x81\x1b\x34\x12", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "sbbw $0x1234,(%ebx)"),
    C(32, "\x81\x1b\x78\x56\x34\x12", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "sbbl $0x12345678,(%ebx)"),
    C(32, "\x38\x0b", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %cl,(%ebx)"),
    C(32, "\x3a\x0b", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%ebx),%cl"),
    C(32, "\x80\x3b\x12", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpb $0x12,(%ebx)"),
    C(32, "\x39\x0b", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %ecx,(%ebx)"),
    C(32, "\x3b\x0b", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%ebx),%ecx"),
    C(32, "\x83\x3b\x12", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpl $0x12,(%ebx)"),
    C(32, "\x66\x81\x3b\x34\x12", X86_CMP, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "cmpw $0x1234,(%ebx)"),
    C(32, "\x81\x3b\x78\x56\x34\x12", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "cmpl $0x12345678,(%ebx)"),
    C(32, "\xf0\x09\x0b", X86_OR, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock or %ecx,(%ebx)"),
    C(32, "\xf0\x80\x0b\x01", X86_OR, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock orb $0x1,(%ebx)"),
    C(32, "\xf0\x11\x0b", X86_ADC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock adc %ecx,(%ebx)"),
    C(32, "\xf0\x80\x13\x01", X86_ADC, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock adcb $0x1,(%ebx)"),
    C(32, "\x84\x0b", X86_TEST, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cl,(%ebx)"),
    C(32, "\xf6\x03\x7f", X86_TEST, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testb $0x7f,(%ebx)"),
    C(32, "\xfe\x03", X86_INC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incb (%ebx)"),
    C(32, "\xfe\x0b", X86_DEC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decb (%ebx)"),
    C(32, "\xf6\x13", X86_NOT, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notb (%ebx)"),
    C(32, "\xf6\x1b", X86_NEG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negb (%ebx)"),
    C(32, "\x86\x0b", X86_XCHG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cl,(%ebx)"),
    C(32, "\x0f\xc0\x0b", X86_XADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cl,(%ebx)"),
    C(32, "\x0f\xb0\x0b", X86_CMPXCHG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cl,(%ebx)"),
    C(32, "\xf0\x0f\xc0\x0b", X86_XADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xadd %cl,(%ebx)"),
    C(32, "\x88\x0b", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cl,(%ebx)"),
    C(32, "\x8a\x0b", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%cl"),
    C(32, "\xc6\x03\x5a", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movb $0x5a,(%ebx)"),
    C(32, "\x66\x85\x0b", X86_TEST, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cx,(%ebx)"),
    C(32, "\x66\xf7\x03\x7f\x00", X86_TEST, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testw $0x7f,(%ebx)"),
    C(32, "\x66\xff\x03", X86_INC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incw (%ebx)"),
    C(32, "\x66\xff\x0b", X86_DEC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decw (%ebx)"),
    C(32, "\x66\xf7\x13", X86_NOT, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notw (%ebx)"),
    C(32, "\x66\xf7\x1b", X86_NEG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negw (%ebx)"),
    C(32, "\x66\x87\x0b", X86_XCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cx,(%ebx)"),
    C(32, "\x66\x0f\xc1\x0b", X86_XADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cx,(%ebx)"),
    C(32, "\x66\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cx,(%ebx)"),
    C(32, "\x66\xf0\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %cx,(%ebx)"),
    C(32, "\x66\x89\x0b", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cx,(%ebx)"),
    C(32, "\x66\x8b\x0b", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%cx"),
    C(32, "\x66\xc7\x03\x5a\x00", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movw $0x5a,(%ebx)"),
    C(32, "\x85\x0b", X86_TEST, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,(%ebx)"),
    C(32, "\xf7\x03\x7f\x00\x00\x00", X86_TEST, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testl $0x7f,(%ebx)"),
    C(32, "\xff\x03", X86_INC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incl (%ebx)"),
    C(32, "\xff\x0b", X86_DEC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decl (%ebx)"),
    C(32, "\xf7\x13", X86_NOT, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notl (%ebx)"),
    C(32, "\xf7\x1b", X86_NEG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negl (%ebx)"),
    C(32, "\x87\x0b", X86_XCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,(%ebx)"),
    C(32, "\x0f\xc1\x0b", X86_XADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %ecx,(%ebx)"),
    C(32, "\x0f\xb1\x0b", X86_CMPXCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,(%ebx)"),
    C(32, "\xf0\x87\x0b", X86_XCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xchg %ecx,(%ebx)"),
    C(32, "\x89\x0b", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%ebx)"),
    C(32, "\x8b\x0b", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%ecx"),
    C(32, "\xc7\x03\x5a\x00\x00\x00", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movl $0x5a,(%ebx)"),
    C(32, "\x66\xc7\x03\x34\x12", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "movw $0x1234,(%ebx)"),
    C(32, "\xc7\x03\x78\x56\x34\x12", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "movl $0x12345678,(%ebx)"),
    C(32, "\x66\x0f\xa3\x0b", X86_BT, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %cx,(%ebx)"),
    C(32, "\x66\x0f\xba\x23\x07", X86_BT, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btw $0x7,(%ebx)"),
    C(32, "\x66\x0f\xab\x0b", X86_BTS, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %cx,(%ebx)"),
    C(32, "\x66\x0f\xba\x2b\x07", X86_BTS, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btsw $0x7,(%ebx)"),
    C(32, "\x66\x0f\xb3\x0b", X86_BTR, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %cx,(%ebx)"),
    C(32, "\x66\x0f\xba\x33\x07", X86_BTR, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btrw $0x7,(%ebx)"),
    C(32, "\x66\x0f\xbb\x0b", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %cx,(%ebx)"),
    C(32, "\x66\x0f\xba\x3b\x07", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btcw $0x7,(%ebx)"),
    C(32, "\x66\xf0\x0f\xbb\x0b", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock btc %cx,(%ebx)"),
    C(32, "\x0f\xa3\x0b", X86_BT, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,(%ebx)"),
    C(32, "\x0f\xba\x23\x0d", X86_BT, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btl $0xd,(%ebx)"),
    C(32, "\x0f\xab\x0b", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %ecx,(%ebx)"),
    C(32, "\x0f\xba\x2b\x0d", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btsl $0xd,(%ebx)"),
    C(32, "\xf0\x0f\xab\x0b", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock bts %ecx,(%ebx)"),
    C(32, "\x0f\xb3\x0b", X86_BTR, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %ecx,(%ebx)"),
    C(32, "\x0f\xba\x33\x0d", X86_BTR, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btrl $0xd,(%ebx)"),
    C(32, "\x0f\xbb\x0b", X86_BTC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %ecx,(%ebx)"),
    C(32, "\x0f\xba\x3b\x0d", X86_BTC, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btcl $0xd,(%ebx)"),
    C(32, "\x66\x0f\xb6\x13", X86_MOVZX, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbw (%ebx),%dx"),
    C(32, "\x0f\xb6\x13", X86_MOVZX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl (%ebx),%edx"),
    C(32, "\x0f\xb7\x13", X86_MOVZX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl (%ebx),%edx"),
    C(32, "\x66\x0f\xbe\x13", X86_MOVSX, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbw (%ebx),%dx"),
    C(32, "\x0f\xbe\x13", X86_MOVSX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl (%ebx),%edx"),
    C(32, "\x0f\xbf\x13", X86_MOVSX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movswl (%ebx),%edx"),
    C(32, "\x0f\xb6\xd4", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl %ah,%edx"),
    C(32, "\x0f\xbe\xcf", X86_MOVSX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl %bh,%ecx"),
    C(32, "\x0f\xb7\xc1", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl %cx,%eax"),
    C(32, "\x0f\xc7\x0b", X86_CMPXCHG8B, 8, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg8b (%ebx)"),
    C(32, "\xf0\x0f\xc7\x4b\x08", X86_CMPXCHG8B, 8, 4, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock cmpxchg8b 0x8(%ebx)"),
    C(32, "\x0f\xc3\x0b", X86_MOVNTI, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movnti %ecx,(%ebx)"),
    C(32, "\x0f\x90\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "seto (%ebx)"),
    C(32, "\x0f\x95\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne (%ebx)"),
    C(32, "\x0f\x9a\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setp (%ebx)"),
    C(32, "\x0f\x9f\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setg (%ebx)"),
    C(32, "\x0f\x94\xc0", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sete %al"),
    C(32, "\x0f\x95\xc4", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne %ah"),
    C(32, "\x01\xca", X86_ADD, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,%edx"),
    C(32, "\x28\xc7", X86_SUB, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub %al,%bh"),
    C(32, "\x87\xca", X86_XCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,%edx"),
    C(32, "\x0f\xb1\xca", X86_CMPXCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,%edx"),
    C(32, "\xfe\xc4", X86_INC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "inc %ah"),
    C(32, "\xf6\xd4", X86_NOT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "not %ah"),
    C(32, "\x85\xc9", X86_TEST, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,%ecx"),
    C(32, "\x0f\xba\xe0\x03", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, 0x3, NOPORT, -1, -1, "bt $0x3,%eax"),
    C(32, "\x0f\xa3\xca", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,%edx"),
    C(32, "\xa4", X86_MOVS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%esi),%es:(%edi)"),
    C(32, "\xf3\xa4", X86_MOVS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsb %ds:(%esi),%es:(%edi)"),
    C(32, "\xaa", X86_STOS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %al,%es:(%edi)"),
    C(32, "\xf3\xaa", X86_STOS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %al,%es:(%edi)"),
    C(32, "\xac", X86_LODS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%esi),%al"),
    C(32, "\xf3\xac", X86_LODS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%esi),%al"),
    C(32, "\xa6", X86_CMPS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsb %es:(%edi),%ds:(%esi)"),
    C(32, "\xf3\xa6", X86_CMPS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsb %es:(%edi),%ds:(%esi)"),
    C(32, "\xae", X86_SCAS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%edi),%al"),
    C(32, "\xf3\xae", X86_SCAS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%edi),%al"),
    C(32, "\xf2\xae", X86_SCAS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%edi),%al"),
    C(32, "\xf2\xa6", X86_CMPS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%edi),%ds:(%esi)"),
    C(32, "\xa5", X86_MOVS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsl %ds:(%esi),%es:(%edi)"),
    C(32, "\xf3\xa5", X86_MOVS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %ds:(%esi),%es:(%edi)"),
    C(32, "\xab", X86_STOS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %eax,%es:(%edi)"),
    C(32, "\xf3\xab", X86_STOS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%edi)"),
    C(32, "\xad", X86_LODS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%esi),%eax"),
    C(32, "\xf3\xad", X86_LODS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%esi),%eax"),
    C(32, "\xa7", X86_CMPS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsl %es:(%edi),%ds:(%esi)"),
    C(32, "\xf3\xa7", X86_CMPS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsl %es:(%edi),%ds:(%esi)"),
    C(32, "\xaf", X86_SCAS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%edi),%eax"),
    C(32, "\xf3\xaf", X86_SCAS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%edi),%eax"),
    C(32, "\xf2\xaf", X86_SCAS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%edi),%eax"),
    C(32, "\xf2\xa7", X86_CMPS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsl %es:(%edi),%ds:(%esi)"),
    C(32, "\x64\xa4", X86_MOVS, 1, 4, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %fs:(%esi),%es:(%edi)"),
    C(32, "\x65\xad", X86_LODS, 4, 4, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %gs:(%esi),%eax"),
    C(32, "\x67\xa4", X86_MOVS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%si),%es:(%di)"),
    C(32, "\x67\xf3\xab", X86_STOS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%di)"),
    C(32, "\x64\xf3\xa5", X86_MOVS, 4, 4, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %fs:(%esi),%es:(%edi)"),
    C(32, "\x65\xf2\xa6", X86_CMPS, 1, 4, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%edi),%gs:(%esi)"),
    C(32, "\xf4", X86_HLT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "hlt"),
    C(32, "\xf3\x90", X86_PAUSE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "pause"),
    C(32, "\x90", X86_NOP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "nop"),
    C(32, "\x0f\xa2", X86_CPUID, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cpuid"),
    C(32, "\x0f\x32", X86_RDMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdmsr"),
    C(32, "\x0f\x30", X86_WRMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wrmsr"),
    C(32, "\x0f\x31", X86_RDTSC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtsc"),
    C(32, "\x0f\x01\xf9", X86_RDTSCP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtscp"),
    C(32, "\x0f\x33", X86_RDPMC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdpmc"),
    C(32, "\x0f\x06", X86_CLTS, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clts"),
    C(32, "\x0f\x08", X86_INVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invd"),
    C(32, "\x0f\x09", X86_WBINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbinvd"),
    C(32, "\xf3\x0f\x09", X86_WBNOINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbnoinvd"),
    C(32, "\x0f\x01\xd8", X86_VMRUN, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmrun"),
    C(32, "\x0f\x01\xd9", X86_VMMCALL, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmmcall"),
    C(32, "\x0f\x01\xda", X86_VMLOAD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmload"),
    C(32, "\x0f\x01\xdb", X86_VMSAVE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmsave"),
    C(32, "\x0f\x01\xdc", X86_STGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stgi"),
    C(32, "\x0f\x01\xdd", X86_CLGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clgi"),
    C(32, "\x0f\x01\xde", X86_SKINIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "skinit"),
    C(32, "\x0f\x01\xdf", X86_INVLPGA, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpga"),
    C(32, "\x0f\x01\xc8", X86_MONITOR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "monitor %eax,%ecx,%edx"),
    C(32, "\x0f\x01\xc9", X86_MWAIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mwait %eax,%ecx"),
    C(32, "\x0f\x01\xd1", X86_XSETBV, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xsetbv"),
    C(32, "\xe4\x80", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "in $0x80,%al"),
    C(32, "\x66\xe5\x71", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x71, -1, -1, "in $0x71,%ax"),
    C(32, "\xe5\xfe", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xfe, -1, -1, "in $0xfe,%eax"),
    C(32, "\xec", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%al"),
    C(32, "\x66\xed", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%ax"),
    C(32, "\xed", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%eax"),
    C(32, "\xe6\x80", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "out %al,$0x80"),
    C(32, "\x66\xe7\x70", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x70, -1, -1, "out %ax,$0x70"),
    C(32, "\xe7\xcf", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xcf, -1, -1, "out %eax,$0xcf"),
    C(32, "\xee", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %al,(%dx)"),
    C(32, "\x66\xef", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %ax,(%dx)"),
    C(32, "\xef", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %eax,(%dx)"),
    C(32, "\x6c", X86_INS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insb (%dx),%es:(%edi)"),
    C(32, "\x66\x6d", X86_INS, 2, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insw (%dx),%es:(%edi)"),
    C(32, "\x6d", X86_INS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insl (%dx),%es:(%edi)"),
    C(32, "\x6e", X86_OUTS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %ds:(%esi),(%dx)"),
    C(32, "\x66\x6f", X86_OUTS, 2, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsw %ds:(%esi),(%dx)"),
    C(32, "\x6f", X86_OUTS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsl %ds:(%esi),(%dx)"),
    C(32, "\xf3\x6c", X86_INS, 1, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insb (%dx),%es:(%edi)"),
    C(32, "\x66\xf3\x6d", X86_INS, 2, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insw (%dx),%es:(%edi)"),
    C(32, "\xf3\x6d", X86_INS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insl (%dx),%es:(%edi)"),
    C(32, "\xf3\x6e", X86_OUTS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsb %ds:(%esi),(%dx)"),
    C(32, "\x66\xf3\x6f", X86_OUTS, 2, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsw %ds:(%esi),(%dx)"),
    C(32, "\xf3\x6f", X86_OUTS, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsl %ds:(%esi),(%dx)"),
    C(32, "\x64\x6e", X86_OUTS, 1, 4, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %fs:(%esi),(%dx)"),
    C(32, "\x0f\x01\x38", X86_INVLPG, 0, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpg (%eax)"),
    C(32, "\x0f\x01\x3d\x00\x10\x00\x00", X86_INVLPG, 0, 0, 3, -1, -1, 0, 0, 0x1000, NOIMM, NOPORT, -1, -1, "invlpg 0x1000"),
    C(32, "\x64\x0f\x01\x7c\x8b\x08", X86_INVLPG, 0, 4, 4, 3, 1, 4, 0, 0x8, NOIMM, NOPORT, -1, -1, "invlpg %fs:0x8(%ebx,%ecx,4)"),
    C(32, "\x0f\x01\xe0", X86_SMSW, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %eax"),
    C(32, "\x66\x0f\x01\xe0", X86_SMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %ax"),
    C(32, "\x0f\x01\x20", X86_SMSW, 2, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw (%eax)"),
    C(32, "\x0f\x01\xf0", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %ax"),
    C(32, "\x0f\x01\x33", X86_LMSW, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw (%ebx)"),
    C(32, "\x0f\x01\xf7", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %di"),
    C(32, "\x0f\x20\xc0", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %cr0,%eax"),
    C(32, "\x0f\x22\xc0", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %eax,%cr0"),
    C(32, "\x0f\x21\xc0", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %db0,%eax"),
    C(32, "\x0f\x23\xc0", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %eax,%db0"),
    C(32, "\x0f\x20\xe2", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %cr4,%edx"),
    C(32, "\x0f\x22\xe2", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %edx,%cr4"),
    C(32, "\x0f\x21\xda", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %db3,%edx"),
    C(32, "\x0f\x23\xda", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %edx,%db3"),
    C(32, "\x0f\x20\xc4", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 4, "mov %cr0,%esp"),
    C(32, "\x0f\x22\xc4", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 4, "mov %esp,%cr0"),
    C(32, "\x0f\x20\xe6", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 6, "mov %cr4,%esi"),
    C(32, "\x0f\x22\xe6", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 6, "mov %esi,%cr4"),
    C(32, "\x0f\x21\xfe", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %db7,%esi"),
    C(32, "\x0f\x23\xfe", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %esi,%db7"),
    C(32, "\x8b\x00", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%eax"),
    C(32, "\x8b\x18", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%ebx"),
    C(32, "\x8b\x09", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx),%ecx"),
    C(32, "\x8b\x21", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx),%esp"),
    C(32, "\x8b\x12", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edx),%edx"),
    C(32, "\x8b\x2a", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edx),%ebp"),
    C(32, "\x8b\x1b", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%ebx"),
    C(32, "\x8b\x33", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%esi"),
    C(32, "\x8b\x24\x11", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx,%edx,1),%esp"),
    C(32, "\x8b\x3c\x11", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx,%edx,1),%edi"),
    C(32, "\x8b\x2d\x11\x22\x33\x44", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211,%ebp"),
    C(32, "\x8b\x05\x11\x22\x33\x44", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211,%eax"),
    C(32, "\x8b\x36", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esi),%esi"),
    C(32, "\x8b\x0e", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esi),%ecx"),
    C(32, "\x8b\x3f", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edi),%edi"),
    C(32, "\x8b\x17", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edi),%edx"),
    C(32, "\x8b\x48\x11", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax),%ecx"),
    C(32, "\x8b\x60\x11", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax),%esp"),
    C(32, "\x8b\x51\x11", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ecx),%edx"),
    C(32, "\x8b\x69\x11", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ecx),%ebp"),
    C(32, "\x8b\x5a\x11", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edx),%ebx"),
    C(32, "\x8b\x72\x11", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edx),%esi"),
    C(32, "\x8b\x63\x11", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebx),%esp"),
    C(32, "\x8b\x7b\x11", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebx),%edi"),
    C(32, "\x8b\x6c\x11\x22", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%ecx,%edx,1),%ebp"),
    C(32, "\x8b\x44\x11\x22", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%ecx,%edx,1),%eax"),
    C(32, "\x8b\x75\x11", X86_MOV, 4, 4, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebp),%esi"),
    C(32, "\x8b\x4d\x11", X86_MOV, 4, 4, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebp),%ecx"),
    C(32, "\x8b\x7e\x11", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esi),%edi"),
    C(32, "\x8b\x56\x11", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esi),%edx"),
    C(32, "\x8b\x47\x11", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edi),%eax"),
    C(32, "\x8b\x5f\x11", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edi),%ebx"),
    C(32, "\x8b\x90\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%eax),%edx"),
    C(32, "\x8b\xa8\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%eax),%ebp"),
    C(32, "\x8b\x99\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ecx),%ebx"),
    C(32, "\x8b\xb1\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ecx),%esi"),
    C(32, "\x8b\xa2\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edx),%esp"),
    C(32, "\x8b\xba\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edx),%edi"),
    C(32, "\x8b\xab\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebx),%ebp"),
    C(32, "\x8b\x83\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebx),%eax"),
    C(32, "\x8b\xb4\x11\x22\x33\x44\x55", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%ecx,%edx,1),%esi"),
    C(32, "\x8b\x8c\x11\x22\x33\x44\x55", X86_MOV, 4, 4, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%ecx,%edx,1),%ecx"),
    C(32, "\x8b\xbd\x11\x22\x33\x44", X86_MOV, 4, 4, 2, 5, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebp),%edi"),
    C(32, "\x8b\x95\x11\x22\x33\x44", X86_MOV, 4, 4, 2, 5, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebp),%edx"),
    C(32, "\x8b\x86\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%esi),%eax"),
    C(32, "\x8b\x9e\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%esi),%ebx"),
    C(32, "\x8b\x8f\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edi),%ecx"),
    C(32, "\x8b\xa7\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 7, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edi),%esp"),
    C(32, "\x8b\xc7", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %edi,%eax"),
    C(32, "\x8b\xce", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %esi,%ecx"),
    C(32, "\x8b\xd5", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ebp,%edx"),
    C(32, "\x8b\xdc", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %esp,%ebx"),
    C(32, "\x8b\xe3", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ebx,%esp"),
    C(32, "\x8b\xea", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %edx,%ebp"),
    C(32, "\x8b\xf1", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,%esi"),
    C(32, "\x8b\xf8", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %eax,%edi"),
    C(32, "\x8b\x4c\x00\x11", X86_MOV, 4, 4, 3, 0, 0, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%eax,1),%ecx"),
    C(32, "\x8b\x4c\x04\x11", X86_MOV, 4, 4, 2, 4, 0, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%eax,1),%ecx"),
    C(32, "\x8b\x4c\x48\x11", X86_MOV, 4, 4, 3, 0, 1, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%ecx,2),%ecx"),
    C(32, "\x8b\x4c\x4c\x11", X86_MOV, 4, 4, 2, 4, 1, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%ecx,2),%ecx"),
    C(32, "\x8b\x4c\x90\x11", X86_MOV, 4, 4, 3, 0, 2, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%edx,4),%ecx"),
    C(32, "\x8b\x4c\x94\x11", X86_MOV, 4, 4, 2, 4, 2, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%edx,4),%ecx"),
    C(32, "\x8b\x4c\xd8\x11", X86_MOV, 4, 4, 3, 0, 3, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%ebx,8),%ecx"),
    C(32, "\x8b\x4c\xdc\x11", X86_MOV, 4, 4, 2, 4, 3, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%ebx,8),%ecx"),
    C(32, "\x8b\x4c\x20\x11", X86_MOV, 4, 4, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%eiz,1),%ecx"),
    C(32, "\x8b\x4c\x24\x11", X86_MOV, 4, 4, 2, 4, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp),%ecx"),
    C(32, "\x8b\x4c\x68\x11", X86_MOV, 4, 4, 3, 0, 5, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%ebp,2),%ecx"),
    C(32, "\x8b\x4c\x6c\x11", X86_MOV, 4, 4, 2, 4, 5, 2, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%ebp,2),%ecx"),
    C(32, "\x8b\x4c\xb0\x11", X86_MOV, 4, 4, 3, 0, 6, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%esi,4),%ecx"),
    C(32, "\x8b\x4c\xb4\x11", X86_MOV, 4, 4, 2, 4, 6, 4, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%esi,4),%ecx"),
    C(32, "\x8b\x4c\xf8\x11", X86_MOV, 4, 4, 3, 0, 7, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax,%edi,8),%ecx"),
    C(32, "\x8b\x4c\xfc\x11", X86_MOV, 4, 4, 2, 4, 7, 8, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esp,%edi,8),%ecx"),
    C(32, "\x67\x8b\x00", X86_MOV, 4, 2, 3, 3, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%si),%eax"),
    C(32, "\x67\x8b\x09", X86_MOV, 4, 2, 3, 3, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%di),%ecx"),
    C(32, "\x67\x8b\x12", X86_MOV, 4, 2, 2, 5, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%si),%edx"),
    C(32, "\x67\x8b\x1b", X86_MOV, 4, 2, 2, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%di),%ebx"),
    C(32, "\x67\x8b\x24", X86_MOV, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%si),%esp"),
    C(32, "\x67\x8b\x2d", X86_MOV, 4, 2, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%di),%ebp"),
    C(32, "\x67\x8b\x36\x11\x22", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211,%esi"),
    C(32, "\x67\x8b\x3f", X86_MOV, 4, 2, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx),%edi"),
    C(32, "\x67\x8b\x48\x11", X86_MOV, 4, 2, 3, 3, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%si),%ecx"),
    C(32, "\x67\x8b\x51\x11", X86_MOV, 4, 2, 3, 3, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%di),%edx"),
    C(32, "\x67\x8b\x5a\x11", X86_MOV, 4, 2, 2, 5, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%si),%ebx"),
    C(32, "\x67\x8b\x63\x11", X86_MOV, 4, 2, 2, 5, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%di),%esp"),
    C(32, "\x67\x8b\x6c\x11", X86_MOV, 4, 2, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%si),%ebp"),
    C(32, "\x67\x8b\x75\x11", X86_MOV, 4, 2, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%di),%esi"),
    C(32, "\x67\x8b\x7e\x11", X86_MOV, 4, 2, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp),%edi"),
    C(32, "\x67\x8b\x47\x11", X86_MOV, 4, 2, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx),%eax"),
    C(32, "\x67\x8b\x90\x11\x22", X86_MOV, 4, 2, 3, 3, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%si),%edx"),
    C(32, "\x67\x8b\x99\x11\x22", X86_MOV, 4, 2, 3, 3, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%di),%ebx"),
    C(32, "\x67\x8b\xa2\x11\x22", X86_MOV, 4, 2, 2, 5, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%si),%esp"),
    C(32, "\x67\x8b\xab\x11\x22", X86_MOV, 4, 2, 2, 5, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%di),%ebp"),
    C(32, "\x67\x8b\xb4\x11\x22", X86_MOV, 4, 2, 3, 6, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%si),%esi"),
    C(32, "\x67\x8b\xbd\x11\x22", X86_MOV, 4, 2, 3, 7, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%di),%edi"),
    C(32, "\x67\x8b\x86\x11\x22", X86_MOV, 4, 2, 2, 5, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp),%eax"),
    C(32, "\x67\x8b\x8f\x11\x22", X86_MOV, 4, 2, 3, 3, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx),%ecx"),
    C(32, "\x67\x8b\xc7", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr16 mov %edi,%eax"),
    C(32, "\x67\x8b\xd5", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr16 mov %ebp,%edx"),
    C(32, "\x67\x8b\xe3", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr16 mov %ebx,%esp"),
    C(32, "\x67\x8b\xf1", X86_MOV, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr16 mov %ecx,%esi"),
    C(32, "\x82\x00\x12", X86_ADD, 1, 4, 3, 0, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addb $0x12,(%eax)"),
    C(32, "\x82\x25\x12\x11\x22\x33\x44", X86_AND, 1, 0, 3, -1, -1, 0, 0, 0x33221112, 0x44, NOPORT, -1, -1, "andb $0x44,0x33221112"),
    C(32, "\x82\x4a\x12\x11", X86_OR, 1, 4, 3, 2, -1, 0, 0, 0x12, 0x11, NOPORT, -1, -1, "orb $0x11,0x12(%edx)"),
    C(32, "\x82\x6f\x12\x11", X86_SUB, 1, 4, 3, 7, -1, 0, 0, 0x12, 0x11, NOPORT, -1, -1, "subb $0x11,0x12(%edi)"),
    C(32, "\x82\x94\x12\x11\x22\x33\x44\x55", X86_ADC, 1, 4, 3, 2, 2, 1, 0, 0x44332211, 0x55, NOPORT, -1, -1, "adcb $0x55,0x44332211(%edx,%edx,1)"),
    C(32, "\x82\xb9\x12\x11\x22\x33\x44", X86_CMP, 1, 4, 3, 1, -1, 0, 0, 0x33221112, 0x44, NOPORT, -1, -1, "cmpb $0x44,0x33221112(%ecx)"),
    C(32, "\x82\xde\x12", X86_SBB, 1, 0, -1, -1, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbb $0x12,%dh"),
    C(32, "\x2e\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 4, 1, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "addl $0x12345678,%cs:(%eax)"),
    C(32, "\x3e\x26\xc7\x44\x24\x08\x01\x02\x03\x04", X86_MOV, 4, 4, 0, 4, -1, 0, 0, 0x8, 0x4030201, NOPORT, -1, -1, "ds movl $0x4030201,%es:0x8(%esp)"),
    C(32, "\x36\x64\x65\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 4, 5, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "ss fs add %ecx,%gs:0x40302010(%eax,%ecx,4)"),
    C(32, "\xf2\x0f\xb1\x0b", X86_CMPXCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpxchg %ecx,(%ebx)"),
    C(32, "\xf3\xf2\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 4, 3, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "repz repnz addl $0x12345678,(%eax)"),
    C(32, "\x66\x66\xc7\x44\x24\x08\x01\x02", X86_MOV, 2, 4, 2, 4, -1, 0, 0, 0x8, 0x201, NOPORT, -1, -1, "data16 movw $0x201,0x8(%esp)"),
    C(32, "\x67\x66\x01\x8c\x88\x10", X86_ADD, 2, 2, 3, 6, -1, 0, 0, 0x1088, NOIMM, NOPORT, -1, -1, "add %cx,0x1088(%si)"),
    C(32, "\x66\x67\x0f\xb1\x0b", X86_CMPXCHG, 2, 2, 2, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cx,(%bp,%di)"),
    C(32, "\x26\x2e\x36\x3e\x64\x65\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 4, 5, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "es cs ss ds fs addl $0x12345678,%gs:(%eax)"),
    C(32, "\xf0\x81\x00\x78\x56\x34\x12", X86_ADD, 4, 4, 3, 0, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "lock addl $0x12345678,(%eax)"),
    C(32, "\xf0\x66\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 2, 4, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "lock add %cx,0x40302010(%eax,%ecx,4)"),
    C(32, "\x66\xf0\x65\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 5, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %cx,%gs:(%ebx)"),
    /* ---- 16-bit code ---- */
    C(16, "\x89\x48\x12", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x12, NOIMM, NOPORT, -1, -1, "mov %cx,0x12(%bx,%si)"),
    C(16, "\x8b\x46\x00", X86_MOV, 2, 2, 2, 5, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(%bp),%ax"),
    C(16, "\x8b\x16\x34\x12", X86_MOV, 2, 0, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov 0x1234,%dx"),
    C(16, "\x26\x89\x0d", X86_MOV, 2, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cx,%es:(%di)"),
    C(16, "\x66\x89\x0f", X86_MOV, 4, 2, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%bx)"),
    C(16, "\x67\x8b\x4c\x98\x12", X86_MOV, 2, 4, 3, 0, 3, 4, 0, 0x12, NOIMM, NOPORT, -1, -1, "mov 0x12(%eax,%ebx,4),%cx"),
    C(16, "\x67\x8a\x84\x24\x78\x56\x34\x12", X86_MOV, 1, 4, 2, 4, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "mov 0x12345678(%esp),%al"),
    C(16, "\x67\x66\xa1\x78\x56\x34\x12", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0x12345678, NOIMM, NOPORT, -1, -1, "addr32 mov 0x12345678,%eax"),
    C(16, "\xa0\x34\x12", X86_MOV, 1, 0, 3, -1, -1, 0, 0, 0x1234, NOIMM, NOPORT, -1, -1, "mov 0x1234,%al"),
    C(16, "\x66\xa3\xfe\xff", X86_MOV, 4, 0, 3, -1, -1, 0, 0, 0xfffe, NOIMM, NOPORT, -1, -1, "mov %eax,0xfffe"),
    C(16, "\x64\x8a\x43\xf0", X86_MOV, 1, 2, 4, 5, 7, 1, 0, -0x10, NOIMM, NOPORT, -1, -1, "mov %fs:-0x10(%bp,%di),%al"),
    C(16, "\x67\x8b\x45\x00", X86_MOV, 2, 4, 2, 5, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov 0x0(%ebp),%ax"),
    C(16, "\x66\xc7\x04\x78\x56\x34\x12", X86_MOV, 4, 2, 3, 6, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "movl $0x12345678,(%si)"),
    C(16, "\xc7\x47\x10\x34\x12", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x10, 0x1234, NOPORT, -1, -1, "movw $0x1234,0x10(%bx)"),
    C(16, "\x83\x05\x12", X86_ADD, 2, 2, 3, 7, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addw $0x12,(%di)"),
    C(16, "\x66\x83\x05\x12", X86_ADD, 4, 2, 3, 7, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addl $0x12,(%di)"),
    C(16, "\x67\x00\x0b", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cl,(%ebx)"),
    C(16, "\x67\x02\x0b", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%cl"),
    C(16, "\x67\x80\x03\x12", X86_ADD, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addb $0x12,(%ebx)"),
    C(16, "\x67\x01\x0b", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %cx,(%ebx)"),
    C(16, "\x67\x03\x0b", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%cx"),
    C(16, "\x67\x83\x03\x12", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addw $0x12,(%ebx)"),
    C(16, "\x67\x66\x01\x0b", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,(%ebx)"),
    C(16, "\x67\x66\x03\x0b", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add (%ebx),%ecx"),
    C(16, "\x67\x66\x83\x03\x12", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "addl $0x12,(%ebx)"),
    C(16, "\x67\x81\x03\x34\x12", X86_ADD, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "addw $0x1234,(%ebx)"),
    C(16, "\x67\x66\x81\x03\x78\x56\x34\x12", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "addl $0x12345678,(%ebx)"),
    C(16, "\x67\x66\x83\x43\x40\xff", X86_ADD, 4, 4, 3, 3, -1, 0, 0, 0x40, 0xffffffffULL, NOPORT, -1, -1, "addl $0xffffffff,0x40(%ebx)"),
    C(16, "\x67\x18\x0b", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %cl,(%ebx)"),
    C(16, "\x67\x1a\x0b", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%cl"),
    C(16, "\x67\x80\x1b\x12", X86_SBB, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbb $0x12,(%ebx)"),
    C(16, "\x67\x19\x0b", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %cx,(%ebx)"),
    C(16, "\x67\x1b\x0b", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%cx"),
    C(16, "\x67\x83\x1b\x12", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbw $0x12,(%ebx)"),
    C(16, "\x67\x66\x19\x0b", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb %ecx,(%ebx)"),
    C(16, "\x67\x66\x1b\x0b", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sbb (%ebx),%ecx"),
    C(16, "\x67\x66\x83\x1b\x12", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "sbbl $0x12,(%ebx)"),
    C(16, "\x67\x81\x1b\x34\x12", X86_SBB, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "sbbw $0x1234,(%ebx)"),
    C(16, "\x67\x66\x81\x1b\x78\x56\x34\x12", X86_SBB, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "sbbl $0x12345678,(%ebx)"),
    C(16, "\x67\x38\x0b", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %cl,(%ebx)"),
    C(16, "\x67\x3a\x0b", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%ebx),%cl"),
    C(16, "\x67\x80\x3b\x12", X86_CMP, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpb $0x12,(%ebx)"),
    C(16, "\x67\x66\x39\x0b", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp %ecx,(%ebx)"),
    C(16, "\x67\x66\x3b\x0b", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmp (%ebx),%ecx"),
    C(16, "\x67\x66\x83\x3b\x12", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12, NOPORT, -1, -1, "cmpl $0x12,(%ebx)"),
    C(16, "\x67\x81\x3b\x34\x12", X86_CMP, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "cmpw $0x1234,(%ebx)"),
    C(16, "\x67\x66\x81\x3b\x78\x56\x34\x12", X86_CMP, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "cmpl $0x12345678,(%ebx)"),
    C(16, "\x67\x66\xf0\x09\x0b", X86_OR, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock or %ecx,(%ebx)"),
    C(16, "\x67\xf0\x80\x0b\x01", X86_OR, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock orb $0x1,(%ebx)"),
    C(16, "\x67\x66\xf0\x11\x0b", X86_ADC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock adc %ecx,(%ebx)"),
    C(16, "\x67\xf0\x80\x13\x01", X86_ADC, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x1, NOPORT, -1, -1, "lock adcb $0x1,(%ebx)"),
    C(16, "\x67\x84\x0b", X86_TEST, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cl,(%ebx)"),
    C(16, "\x67\xf6\x03\x7f", X86_TEST, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testb $0x7f,(%ebx)"),
    C(16, "\x67\xfe\x03", X86_INC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incb (%ebx)"),
    C(16, "\x67\xfe\x0b", X86_DEC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decb (%ebx)"),
    C(16, "\x67\xf6\x13", X86_NOT, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notb (%ebx)"),
    C(16, "\x67\xf6\x1b", X86_NEG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negb (%ebx)"),
    C(16, "\x67\x86\x0b", X86_XCHG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cl,(%ebx)"),
    C(16, "\x67\x0f\xc0\x0b", X86_XADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cl,(%ebx)"),
    C(16, "\x67\x0f\xb0\x0b", X86_CMPXCHG, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cl,(%ebx)"),
    C(16, "\x67\xf0\x0f\xc0\x0b", X86_XADD, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xadd %cl,(%ebx)"),
    C(16, "\x67\x88\x0b", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cl,(%ebx)"),
    C(16, "\x67\x8a\x0b", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%cl"),
    C(16, "\x67\xc6\x03\x5a", X86_MOV, 1, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movb $0x5a,(%ebx)"),
    C(16, "\x67\x85\x0b", X86_TEST, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %cx,(%ebx)"),
    C(16, "\x67\xf7\x03\x7f\x00", X86_TEST, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testw $0x7f,(%ebx)"),
    C(16, "\x67\xff\x03", X86_INC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incw (%ebx)"),
    C(16, "\x67\xff\x0b", X86_DEC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decw (%ebx)"),
    C(16, "\x67\xf7\x13", X86_NOT, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notw (%ebx)"),
    C(16, "\x67\xf7\x1b", X86_NEG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negw (%ebx)"),
    C(16, "\x67\x87\x0b", X86_XCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %cx,(%ebx)"),
    C(16, "\x67\x0f\xc1\x0b", X86_XADD, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %cx,(%ebx)"),
    C(16, "\x67\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %cx,(%ebx)"),
    C(16, "\x67\xf0\x0f\xb1\x0b", X86_CMPXCHG, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %cx,(%ebx)"),
    C(16, "\x67\x89\x0b", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cx,(%ebx)"),
    C(16, "\x67\x8b\x0b", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%cx"),
    C(16, "\x67\xc7\x03\x5a\x00", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movw $0x5a,(%ebx)"),
    C(16, "\x67\x66\x85\x0b", X86_TEST, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,(%ebx)"),
    C(16, "\x67\x66\xf7\x03\x7f\x00\x00\x00", X86_TEST, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x7f, NOPORT, -1, -1, "testl $0x7f,(%ebx)"),
    C(16, "\x67\x66\xff\x03", X86_INC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "incl (%ebx)"),
    C(16, "\x67\x66\xff\x0b", X86_DEC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "decl (%ebx)"),
    C(16, "\x67\x66\xf7\x13", X86_NOT, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "notl (%ebx)"),
    C(16, "\x67\x66\xf7\x1b", X86_NEG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "negl (%ebx)"),
    C(16, "\x67\x66\x87\x0b", X86_XCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xc1\x0b", X86_XADD, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xadd %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xb1\x0b", X86_CMPXCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,(%ebx)"),
    C(16, "\x67\x66\xf0\x87\x0b", X86_XCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock xchg %ecx,(%ebx)"),
    C(16, "\x67\x66\x89\x0b", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ecx,(%ebx)"),
    C(16, "\x67\x66\x8b\x0b", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%ecx"),
    C(16, "\x67\x66\xc7\x03\x5a\x00\x00\x00", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x5a, NOPORT, -1, -1, "movl $0x5a,(%ebx)"),
    C(16, "\x67\xc7\x03\x34\x12", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x1234, NOPORT, -1, -1, "movw $0x1234,(%ebx)"),
    C(16, "\x67\x66\xc7\x03\x78\x56\x34\x12", X86_MOV, 4, 4, 3, 3, -1, 0, 0, 0x0, 0x12345678, NOPORT, -1, -1, "movl $0x12345678,(%ebx)"),
    C(16, "\x67\x0f\xa3\x0b", X86_BT, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %cx,(%ebx)"),
    C(16, "\x67\x0f\xba\x23\x07", X86_BT, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btw $0x7,(%ebx)"),
    C(16, "\x67\x0f\xab\x0b", X86_BTS, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %cx,(%ebx)"),
    C(16, "\x67\x0f\xba\x2b\x07", X86_BTS, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btsw $0x7,(%ebx)"),
    C(16, "\x67\x0f\xb3\x0b", X86_BTR, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %cx,(%ebx)"),
    C(16, "\x67\x0f\xba\x33\x07", X86_BTR, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btrw $0x7,(%ebx)"),
    C(16, "\x67\x0f\xbb\x0b", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %cx,(%ebx)"),
    C(16, "\x67\x0f\xba\x3b\x07", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, 0x7, NOPORT, -1, -1, "btcw $0x7,(%ebx)"),
    C(16, "\x67\xf0\x0f\xbb\x0b", X86_BTC, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock btc %cx,(%ebx)"),
    C(16, "\x67\x66\x0f\xa3\x0b", X86_BT, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xba\x23\x0d", X86_BT, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btl $0xd,(%ebx)"),
    C(16, "\x67\x66\x0f\xab\x0b", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bts %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xba\x2b\x0d", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btsl $0xd,(%ebx)"),
    C(16, "\x67\x66\xf0\x0f\xab\x0b", X86_BTS, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock bts %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xb3\x0b", X86_BTR, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btr %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xba\x33\x0d", X86_BTR, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btrl $0xd,(%ebx)"),
    C(16, "\x67\x66\x0f\xbb\x0b", X86_BTC, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "btc %ecx,(%ebx)"),
    C(16, "\x67\x66\x0f\xba\x3b\x0d", X86_BTC, 4, 4, 3, 3, -1, 0, 0, 0x0, 0xd, NOPORT, -1, -1, "btcl $0xd,(%ebx)"),
    C(16, "\x67\x0f\xb6\x13", X86_MOVZX, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbw (%ebx),%dx"),
    C(16, "\x67\x66\x0f\xb6\x13", X86_MOVZX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl (%ebx),%edx"),
    C(16, "\x67\x66\x0f\xb7\x13", X86_MOVZX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl (%ebx),%edx"),
    C(16, "\x67\x0f\xbe\x13", X86_MOVSX, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbw (%ebx),%dx"),
    C(16, "\x67\x66\x0f\xbe\x13", X86_MOVSX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl (%ebx),%edx"),
    C(16, "\x67\x66\x0f\xbf\x13", X86_MOVSX, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movswl (%ebx),%edx"),
    C(16, "\x66\x0f\xb6\xd4", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzbl %ah,%edx"),
    C(16, "\x66\x0f\xbe\xcf", X86_MOVSX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsbl %bh,%ecx"),
    C(16, "\x66\x0f\xb7\xc1", X86_MOVZX, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movzwl %cx,%eax"),
    C(16, "\x67\x0f\xc7\x0b", X86_CMPXCHG8B, 8, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg8b (%ebx)"),
    C(16, "\x67\xf0\x0f\xc7\x4b\x08", X86_CMPXCHG8B, 8, 4, 3, 3, -1, 0, 0, 0x8, NOIMM, NOPORT, -1, -1, "lock cmpxchg8b 0x8(%ebx)"),
    C(16, "\x67\x0f\xc3\x0b", X86_MOVNTI, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movnti %ecx,(%ebx)"),
    C(16, "\x67\x0f\x90\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "seto (%ebx)"),
    C(16, "\x67\x0f\x95\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne (%ebx)"),
    C(16, "\x67\x0f\x9a\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setp (%ebx)"),
    C(16, "\x67\x0f\x9f\x03", X86_SETCC, 1, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setg (%ebx)"),
    C(16, "\x0f\x94\xc0", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sete %al"),
    C(16, "\x0f\x95\xc4", X86_SETCC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "setne %ah"),
    C(16, "\x66\x01\xca", X86_ADD, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "add %ecx,%edx"),
    C(16, "\x28\xc7", X86_SUB, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "sub %al,%bh"),
    C(16, "\x66\x87\xca", X86_XCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xchg %ecx,%edx"),
    C(16, "\x66\x0f\xb1\xca", X86_CMPXCHG, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,%edx"),
    C(16, "\xfe\xc4", X86_INC, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "inc %ah"),
    C(16, "\xf6\xd4", X86_NOT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "not %ah"),
    C(16, "\x66\x85\xc9", X86_TEST, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "test %ecx,%ecx"),
    C(16, "\x66\x0f\xba\xe0\x03", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, 0x3, NOPORT, -1, -1, "bt $0x3,%eax"),
    C(16, "\x66\x0f\xa3\xca", X86_BT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "bt %ecx,%edx"),
    C(16, "\xa4", X86_MOVS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%si),%es:(%di)"),
    C(16, "\xf3\xa4", X86_MOVS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsb %ds:(%si),%es:(%di)"),
    C(16, "\xaa", X86_STOS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %al,%es:(%di)"),
    C(16, "\xf3\xaa", X86_STOS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %al,%es:(%di)"),
    C(16, "\xac", X86_LODS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%si),%al"),
    C(16, "\xf3\xac", X86_LODS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%si),%al"),
    C(16, "\xa6", X86_CMPS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsb %es:(%di),%ds:(%si)"),
    C(16, "\xf3\xa6", X86_CMPS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsb %es:(%di),%ds:(%si)"),
    C(16, "\xae", X86_SCAS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%di),%al"),
    C(16, "\xf3\xae", X86_SCAS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%di),%al"),
    C(16, "\xf2\xae", X86_SCAS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%di),%al"),
    C(16, "\xf2\xa6", X86_CMPS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%di),%ds:(%si)"),
    C(16, "\x66\xa5", X86_MOVS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsl %ds:(%si),%es:(%di)"),
    C(16, "\x66\xf3\xa5", X86_MOVS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %ds:(%si),%es:(%di)"),
    C(16, "\x66\xab", X86_STOS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stos %eax,%es:(%di)"),
    C(16, "\x66\xf3\xab", X86_STOS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%di)"),
    C(16, "\x66\xad", X86_LODS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %ds:(%si),%eax"),
    C(16, "\x66\xf3\xad", X86_LODS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep lods %ds:(%si),%eax"),
    C(16, "\x66\xa7", X86_CMPS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpsl %es:(%di),%ds:(%si)"),
    C(16, "\x66\xf3\xa7", X86_CMPS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz cmpsl %es:(%di),%ds:(%si)"),
    C(16, "\x66\xaf", X86_SCAS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "scas %es:(%di),%eax"),
    C(16, "\x66\xf3\xaf", X86_SCAS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repz scas %es:(%di),%eax"),
    C(16, "\x66\xf2\xaf", X86_SCAS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz scas %es:(%di),%eax"),
    C(16, "\x66\xf2\xa7", X86_CMPS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsl %es:(%di),%ds:(%si)"),
    C(16, "\x64\xa4", X86_MOVS, 1, 2, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %fs:(%si),%es:(%di)"),
    C(16, "\x65\x66\xad", X86_LODS, 4, 2, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lods %gs:(%si),%eax"),
    C(16, "\x67\xa4", X86_MOVS, 1, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "movsb %ds:(%esi),%es:(%edi)"),
    C(16, "\x67\x66\xf3\xab", X86_STOS, 4, 4, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep stos %eax,%es:(%edi)"),
    C(16, "\x64\x66\xf3\xa5", X86_MOVS, 4, 2, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep movsl %fs:(%si),%es:(%di)"),
    C(16, "\x65\xf2\xa6", X86_CMPS, 1, 2, 5, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpsb %es:(%di),%gs:(%si)"),
    C(16, "\xf4", X86_HLT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "hlt"),
    C(16, "\xf3\x90", X86_PAUSE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "pause"),
    C(16, "\x90", X86_NOP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "nop"),
    C(16, "\x0f\xa2", X86_CPUID, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cpuid"),
    C(16, "\x0f\x32", X86_RDMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdmsr"),
    C(16, "\x0f\x30", X86_WRMSR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wrmsr"),
    C(16, "\x0f\x31", X86_RDTSC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtsc"),
    C(16, "\x0f\x01\xf9", X86_RDTSCP, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdtscp"),
    C(16, "\x0f\x33", X86_RDPMC, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rdpmc"),
    C(16, "\x0f\x06", X86_CLTS, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clts"),
    C(16, "\x0f\x08", X86_INVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invd"),
    C(16, "\x0f\x09", X86_WBINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbinvd"),
    C(16, "\xf3\x0f\x09", X86_WBNOINVD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "wbnoinvd"),
    C(16, "\x0f\x01\xd8", X86_VMRUN, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmrun"),
    C(16, "\x0f\x01\xd9", X86_VMMCALL, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmmcall"),
    C(16, "\x0f\x01\xda", X86_VMLOAD, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmload"),
    C(16, "\x0f\x01\xdb", X86_VMSAVE, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "vmsave"),
    C(16, "\x0f\x01\xdc", X86_STGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "stgi"),
    C(16, "\x0f\x01\xdd", X86_CLGI, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "clgi"),
    C(16, "\x0f\x01\xde", X86_SKINIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "skinit"),
    C(16, "\x0f\x01\xdf", X86_INVLPGA, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpga"),
    C(16, "\x0f\x01\xc8", X86_MONITOR, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "monitor %ax,%ecx,%edx"),
    C(16, "\x0f\x01\xc9", X86_MWAIT, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mwait %eax,%ecx"),
    C(16, "\x0f\x01\xd1", X86_XSETBV, 0, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "xsetbv"),
    C(16, "\xe4\x80", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "in $0x80,%al"),
    C(16, "\xe5\x71", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x71, -1, -1, "in $0x71,%ax"),
    C(16, "\x66\xe5\xfe", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xfe, -1, -1, "in $0xfe,%eax"),
    C(16, "\xec", X86_IN, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%al"),
    C(16, "\xed", X86_IN, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%ax"),
    C(16, "\x66\xed", X86_IN, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "in (%dx),%eax"),
    C(16, "\xe6\x80", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x80, -1, -1, "out %al,$0x80"),
    C(16, "\xe7\x70", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0x70, -1, -1, "out %ax,$0x70"),
    C(16, "\x66\xe7\xcf", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, 0xcf, -1, -1, "out %eax,$0xcf"),
    C(16, "\xee", X86_OUT, 1, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %al,(%dx)"),
    C(16, "\xef", X86_OUT, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %ax,(%dx)"),
    C(16, "\x66\xef", X86_OUT, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "out %eax,(%dx)"),
    C(16, "\x6c", X86_INS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insb (%dx),%es:(%di)"),
    C(16, "\x6d", X86_INS, 2, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insw (%dx),%es:(%di)"),
    C(16, "\x66\x6d", X86_INS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "insl (%dx),%es:(%di)"),
    C(16, "\x6e", X86_OUTS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %ds:(%si),(%dx)"),
    C(16, "\x6f", X86_OUTS, 2, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsw %ds:(%si),(%dx)"),
    C(16, "\x66\x6f", X86_OUTS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsl %ds:(%si),(%dx)"),
    C(16, "\xf3\x6c", X86_INS, 1, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insb (%dx),%es:(%di)"),
    C(16, "\xf3\x6d", X86_INS, 2, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insw (%dx),%es:(%di)"),
    C(16, "\x66\xf3\x6d", X86_INS, 4, 2, 0, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep insl (%dx),%es:(%di)"),
    C(16, "\xf3\x6e", X86_OUTS, 1, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsb %ds:(%si),(%dx)"),
    C(16, "\xf3\x6f", X86_OUTS, 2, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsw %ds:(%si),(%dx)"),
    C(16, "\x66\xf3\x6f", X86_OUTS, 4, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "rep outsl %ds:(%si),(%dx)"),
    C(16, "\x64\x6e", X86_OUTS, 1, 2, 4, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "outsb %fs:(%si),(%dx)"),
    C(16, "\x67\x0f\x01\x38", X86_INVLPG, 0, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "invlpg (%eax)"),
    C(16, "\x0f\x01\x3e\x00\x10", X86_INVLPG, 0, 0, 3, -1, -1, 0, 0, 0x1000, NOIMM, NOPORT, -1, -1, "invlpg 0x1000"),
    C(16, "\x64\x67\x0f\x01\x7c\x8b\x08", X86_INVLPG, 0, 4, 4, 3, 1, 4, 0, 0x8, NOIMM, NOPORT, -1, -1, "invlpg %fs:0x8(%ebx,%ecx,4)"),
    C(16, "\x66\x0f\x01\xe0", X86_SMSW, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %eax"),
    C(16, "\x0f\x01\xe0", X86_SMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw %ax"),
    C(16, "\x67\x0f\x01\x20", X86_SMSW, 2, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "smsw (%eax)"),
    C(16, "\x0f\x01\xf0", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %ax"),
    C(16, "\x67\x0f\x01\x33", X86_LMSW, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw (%ebx)"),
    C(16, "\x0f\x01\xf7", X86_LMSW, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "lmsw %di"),
    C(16, "\x0f\x20\xc0", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %cr0,%eax"),
    C(16, "\x0f\x22\xc0", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %eax,%cr0"),
    C(16, "\x0f\x21\xc0", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %db0,%eax"),
    C(16, "\x0f\x23\xc0", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 0, "mov %eax,%db0"),
    C(16, "\x0f\x20\xe2", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %cr4,%edx"),
    C(16, "\x0f\x22\xe2", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 2, "mov %edx,%cr4"),
    C(16, "\x0f\x21\xda", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %db3,%edx"),
    C(16, "\x0f\x23\xda", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 3, 2, "mov %edx,%db3"),
    C(16, "\x0f\x20\xc4", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 4, "mov %cr0,%esp"),
    C(16, "\x0f\x22\xc4", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 0, 4, "mov %esp,%cr0"),
    C(16, "\x0f\x20\xe6", X86_MOV_FROM_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 6, "mov %cr4,%esi"),
    C(16, "\x0f\x22\xe6", X86_MOV_TO_CR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 4, 6, "mov %esi,%cr4"),
    C(16, "\x0f\x21\xfe", X86_MOV_FROM_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %db7,%esi"),
    C(16, "\x0f\x23\xfe", X86_MOV_TO_DR, 4, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, 7, 6, "mov %esi,%db7"),
    C(16, "\x8b\x00", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%si),%ax"),
    C(16, "\x8b\x18", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%si),%bx"),
    C(16, "\x8b\x09", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%di),%cx"),
    C(16, "\x8b\x21", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx,%di),%sp"),
    C(16, "\x8b\x12", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%si),%dx"),
    C(16, "\x8b\x2a", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%si),%bp"),
    C(16, "\x8b\x1b", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%di),%bx"),
    C(16, "\x8b\x33", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bp,%di),%si"),
    C(16, "\x8b\x24", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%si),%sp"),
    C(16, "\x8b\x3c", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%si),%di"),
    C(16, "\x8b\x2d", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%di),%bp"),
    C(16, "\x8b\x05", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%di),%ax"),
    C(16, "\x8b\x36\x11\x22", X86_MOV, 2, 0, 3, -1, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211,%si"),
    C(16, "\x8b\x0e\x11\x22", X86_MOV, 2, 0, 3, -1, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211,%cx"),
    C(16, "\x8b\x3f", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx),%di"),
    C(16, "\x8b\x17", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%bx),%dx"),
    C(16, "\x8b\x48\x11", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%si),%cx"),
    C(16, "\x8b\x60\x11", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%si),%sp"),
    C(16, "\x8b\x51\x11", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%di),%dx"),
    C(16, "\x8b\x69\x11", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx,%di),%bp"),
    C(16, "\x8b\x5a\x11", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%si),%bx"),
    C(16, "\x8b\x72\x11", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%si),%si"),
    C(16, "\x8b\x63\x11", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%di),%sp"),
    C(16, "\x8b\x7b\x11", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp,%di),%di"),
    C(16, "\x8b\x6c\x11", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%si),%bp"),
    C(16, "\x8b\x44\x11", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%si),%ax"),
    C(16, "\x8b\x75\x11", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%di),%si"),
    C(16, "\x8b\x4d\x11", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%di),%cx"),
    C(16, "\x8b\x7e\x11", X86_MOV, 2, 2, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp),%di"),
    C(16, "\x8b\x56\x11", X86_MOV, 2, 2, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bp),%dx"),
    C(16, "\x8b\x47\x11", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx),%ax"),
    C(16, "\x8b\x5f\x11", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%bx),%bx"),
    C(16, "\x8b\x90\x11\x22", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%si),%dx"),
    C(16, "\x8b\xa8\x11\x22", X86_MOV, 2, 2, 3, 3, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%si),%bp"),
    C(16, "\x8b\x99\x11\x22", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%di),%bx"),
    C(16, "\x8b\xb1\x11\x22", X86_MOV, 2, 2, 3, 3, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx,%di),%si"),
    C(16, "\x8b\xa2\x11\x22", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%si),%sp"),
    C(16, "\x8b\xba\x11\x22", X86_MOV, 2, 2, 2, 5, 6, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%si),%di"),
    C(16, "\x8b\xab\x11\x22", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%di),%bp"),
    C(16, "\x8b\x83\x11\x22", X86_MOV, 2, 2, 2, 5, 7, 1, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp,%di),%ax"),
    C(16, "\x8b\xb4\x11\x22", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%si),%si"),
    C(16, "\x8b\x8c\x11\x22", X86_MOV, 2, 2, 3, 6, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%si),%cx"),
    C(16, "\x8b\xbd\x11\x22", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%di),%di"),
    C(16, "\x8b\x95\x11\x22", X86_MOV, 2, 2, 3, 7, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%di),%dx"),
    C(16, "\x8b\x86\x11\x22", X86_MOV, 2, 2, 2, 5, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp),%ax"),
    C(16, "\x8b\x9e\x11\x22", X86_MOV, 2, 2, 2, 5, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bp),%bx"),
    C(16, "\x8b\x8f\x11\x22", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx),%cx"),
    C(16, "\x8b\xa7\x11\x22", X86_MOV, 2, 2, 3, 3, -1, 0, 0, 0x2211, NOIMM, NOPORT, -1, -1, "mov 0x2211(%bx),%sp"),
    C(16, "\x8b\xc7", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %di,%ax"),
    C(16, "\x8b\xce", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %si,%cx"),
    C(16, "\x8b\xd5", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %bp,%dx"),
    C(16, "\x8b\xdc", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %sp,%bx"),
    C(16, "\x8b\xe3", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %bx,%sp"),
    C(16, "\x8b\xea", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %dx,%bp"),
    C(16, "\x8b\xf1", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %cx,%si"),
    C(16, "\x8b\xf8", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov %ax,%di"),
    C(16, "\x67\x8b\x00", X86_MOV, 2, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax),%ax"),
    C(16, "\x67\x8b\x09", X86_MOV, 2, 4, 3, 1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx),%cx"),
    C(16, "\x67\x8b\x12", X86_MOV, 2, 4, 3, 2, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edx),%dx"),
    C(16, "\x67\x8b\x1b", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ebx),%bx"),
    C(16, "\x67\x8b\x24\x11", X86_MOV, 2, 4, 3, 1, 2, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%ecx,%edx,1),%sp"),
    C(16, "\x67\x8b\x2d\x11\x22\x33\x44", X86_MOV, 2, 0, 3, -1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "addr32 mov 0x44332211,%bp"),
    C(16, "\x67\x8b\x36", X86_MOV, 2, 4, 3, 6, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esi),%si"),
    C(16, "\x67\x8b\x3f", X86_MOV, 2, 4, 3, 7, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%edi),%di"),
    C(16, "\x67\x8b\x48\x11", X86_MOV, 2, 4, 3, 0, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%eax),%cx"),
    C(16, "\x67\x8b\x51\x11", X86_MOV, 2, 4, 3, 1, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ecx),%dx"),
    C(16, "\x67\x8b\x5a\x11", X86_MOV, 2, 4, 3, 2, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edx),%bx"),
    C(16, "\x67\x8b\x63\x11", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebx),%sp"),
    C(16, "\x67\x8b\x6c\x11\x22", X86_MOV, 2, 4, 3, 1, 2, 1, 0, 0x22, NOIMM, NOPORT, -1, -1, "mov 0x22(%ecx,%edx,1),%bp"),
    C(16, "\x67\x8b\x75\x11", X86_MOV, 2, 4, 2, 5, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%ebp),%si"),
    C(16, "\x67\x8b\x7e\x11", X86_MOV, 2, 4, 3, 6, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%esi),%di"),
    C(16, "\x67\x8b\x47\x11", X86_MOV, 2, 4, 3, 7, -1, 0, 0, 0x11, NOIMM, NOPORT, -1, -1, "mov 0x11(%edi),%ax"),
    C(16, "\x67\x8b\x90\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 0, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%eax),%dx"),
    C(16, "\x67\x8b\x99\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 1, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ecx),%bx"),
    C(16, "\x67\x8b\xa2\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 2, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edx),%sp"),
    C(16, "\x67\x8b\xab\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 3, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebx),%bp"),
    C(16, "\x67\x8b\xb4\x11\x22\x33\x44\x55", X86_MOV, 2, 4, 3, 1, 2, 1, 0, 0x55443322, NOIMM, NOPORT, -1, -1, "mov 0x55443322(%ecx,%edx,1),%si"),
    C(16, "\x67\x8b\xbd\x11\x22\x33\x44", X86_MOV, 2, 4, 2, 5, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%ebp),%di"),
    C(16, "\x67\x8b\x86\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 6, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%esi),%ax"),
    C(16, "\x67\x8b\x8f\x11\x22\x33\x44", X86_MOV, 2, 4, 3, 7, -1, 0, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov 0x44332211(%edi),%cx"),
    C(16, "\x67\x8b\xc7", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %di,%ax"),
    C(16, "\x67\x8b\xd5", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %bp,%dx"),
    C(16, "\x67\x8b\xe3", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %bx,%sp"),
    C(16, "\x67\x8b\xf1", X86_MOV, 2, 0, -1, -1, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "addr32 mov %cx,%si"),
    C(16, "\x67\x8b\x0c\x00", X86_MOV, 2, 4, 3, 0, 0, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%eax,1),%cx"),
    C(16, "\x67\x8b\x0c\x04", X86_MOV, 2, 4, 2, 4, 0, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%eax,1),%cx"),
    C(16, "\x67\x8b\x0c\x48", X86_MOV, 2, 4, 3, 0, 1, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%ecx,2),%cx"),
    C(16, "\x67\x8b\x0c\x4c", X86_MOV, 2, 4, 2, 4, 1, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%ecx,2),%cx"),
    C(16, "\x67\x8b\x0c\x90", X86_MOV, 2, 4, 3, 0, 2, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%edx,4),%cx"),
    C(16, "\x67\x8b\x0c\x94", X86_MOV, 2, 4, 2, 4, 2, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%edx,4),%cx"),
    C(16, "\x67\x8b\x0c\xd8", X86_MOV, 2, 4, 3, 0, 3, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%ebx,8),%cx"),
    C(16, "\x67\x8b\x0c\xdc", X86_MOV, 2, 4, 2, 4, 3, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%ebx,8),%cx"),
    C(16, "\x67\x8b\x0c\x20", X86_MOV, 2, 4, 3, 0, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%eiz,1),%cx"),
    C(16, "\x67\x8b\x0c\x24", X86_MOV, 2, 4, 2, 4, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp),%cx"),
    C(16, "\x67\x8b\x0c\x68", X86_MOV, 2, 4, 3, 0, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%ebp,2),%cx"),
    C(16, "\x67\x8b\x0c\x6c", X86_MOV, 2, 4, 2, 4, 5, 2, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%ebp,2),%cx"),
    C(16, "\x67\x8b\x0c\xb0", X86_MOV, 2, 4, 3, 0, 6, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%esi,4),%cx"),
    C(16, "\x67\x8b\x0c\xb4", X86_MOV, 2, 4, 2, 4, 6, 4, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%esi,4),%cx"),
    C(16, "\x67\x8b\x0c\xf8", X86_MOV, 2, 4, 3, 0, 7, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%eax,%edi,8),%cx"),
    C(16, "\x67\x8b\x0c\xfc", X86_MOV, 2, 4, 2, 4, 7, 8, 0, 0x0, NOIMM, NOPORT, -1, -1, "mov (%esp,%edi,8),%cx"),
    C(16, "\x66\x67\x89\x84\x05\x11\x22\x33\x44", X86_MOV, 4, 4, 2, 5, 0, 1, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%ebp,%eax,1)"),
    C(16, "\x66\x67\x89\x84\x2e\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 6, 5, 1, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%esi,%ebp,1)"),
    C(16, "\x66\x67\x89\x84\x57\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 7, 2, 2, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%edi,%edx,2)"),
    C(16, "\x66\x67\x89\x84\x80\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 0, 0, 4, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%eax,%eax,4)"),
    C(16, "\x66\x67\x89\x84\xa9\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 1, 5, 4, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%ecx,%ebp,4)"),
    C(16, "\x66\x67\x89\x84\xd2\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 2, 2, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%edx,%edx,8)"),
    C(16, "\x66\x67\x89\x84\xfb\x11\x22\x33\x44", X86_MOV, 4, 4, 3, 3, 7, 8, 0, 0x44332211, NOIMM, NOPORT, -1, -1, "mov %eax,0x44332211(%ebx,%edi,8)"),
    C(16, "\x2e\x81\x00\x78\x56", X86_ADD, 2, 2, 1, 3, 6, 1, 0, 0x0, 0x5678, NOPORT, -1, -1, "addw $0x5678,%cs:(%bx,%si)"),
    C(16, "\x3e\x26\xc7\x44\x24\x08\x01", X86_MOV, 2, 2, 0, 6, -1, 0, 0, 0x24, 0x108, NOPORT, -1, -1, "ds movw $0x108,%es:0x24(%si)"),
    C(16, "\x36\x64\x65\x01\x8c\x88\x10", X86_ADD, 2, 2, 5, 6, -1, 0, 0, 0x1088, NOIMM, NOPORT, -1, -1, "ss fs add %cx,%gs:0x1088(%si)"),
    C(16, "\xf2\x0f\xb1\x0b", X86_CMPXCHG, 2, 2, 2, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "repnz cmpxchg %cx,(%bp,%di)"),
    C(16, "\xf3\xf2\x81\x00\x78\x56", X86_ADD, 2, 2, 3, 3, 6, 1, 0, 0x0, 0x5678, NOPORT, -1, -1, "repz repnz addw $0x5678,(%bx,%si)"),
    C(16, "\x66\x66\xc7\x44\x24\x08\x01\x02\x03", X86_MOV, 4, 2, 3, 6, -1, 0, 0, 0x24, 0x3020108, NOPORT, -1, -1, "data32 movl $0x3020108,0x24(%si)"),
    C(16, "\x67\x66\x01\x8c\x88\x10\x20\x30\x40", X86_ADD, 4, 4, 3, 0, 1, 4, 0, 0x40302010, NOIMM, NOPORT, -1, -1, "add %ecx,0x40302010(%eax,%ecx,4)"),
    C(16, "\x66\x67\x0f\xb1\x0b", X86_CMPXCHG, 4, 4, 3, 3, -1, 0, 0, 0x0, NOIMM, NOPORT, -1, -1, "cmpxchg %ecx,(%ebx)"),
    C(16, "\x26\x2e\x36\x3e\x64\x65\x81\x00\x78\x56", X86_ADD, 2, 2, 5, 3, 6, 1, 0, 0x0, 0x5678, NOPORT, -1, -1, "es cs ss ds fs addw $0x5678,%gs:(%bx,%si)"),
    C(16, "\xf0\x81\x00\x78\x56", X86_ADD, 2, 2, 3, 3, 6, 1, 0, 0x0, 0x5678, NOPORT, -1, -1, "lock addw $0x5678,(%bx,%si)"),
    C(16, "\xf0\x66\x01\x8c\x88\x10", X86_ADD, 4, 2, 3, 6, -1, 0, 0, 0x1088, NOIMM, NOPORT, -1, -1, "lock add %ecx,0x1088(%si)"),
    C(16, "\x66\xf0\x65\x0f\xb1\x0b", X86_CMPXCHG, 4, 2, 5, 5, 7, 1, 0, 0x0, NOIMM, NOPORT, -1, -1, "lock cmpxchg %ecx,%gs:(%bp,%di)"),
};

/* Check's ck_assert*() records a location on every call (a write to the
 * parent in fork mode); the table and random loops use these instead,
 * which cost nothing until they fail. */
#define CHECK(cond, ...) \
    do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)
#define CHECK_EQ(a, b) \
    CHECK((a) == (b), "%s == %s: %#llx != %#llx", #a, #b, (unsigned long long)(a), \
          (unsigned long long)(b))

static enum x86_mode mode_of(unsigned int bits)
{
    return bits == 64 ? X86_MODE_64 : bits == 32 ? X86_MODE_32 : X86_MODE_16;
}

static int decode_bytes(const char *bytes, size_t avail, unsigned int bits, struct x86_insn *insn)
{
    return x86_decode((const uint8_t *)bytes, avail, mode_of(bits), insn);
}

static uint8_t reg_or_none(int8_t reg)
{
    return reg < 0 ? X86_REG_NONE : (uint8_t)reg;
}

static void check_memory_operand(const struct decode_case *c, const struct x86_insn *insn)
{
    uint64_t amask = x86_size_mask(insn->addr_size);

    CHECK(insn->has_mem == (c->seg >= 0), "%s: has_mem %d", c->text, insn->has_mem);
    if (c->seg < 0)
        return;
    CHECK(insn->mem.seg == c->seg, "%s: seg %u want %d", c->text, insn->mem.seg, c->seg);
    CHECK(insn->mem.base == reg_or_none(c->base), "%s: base %u want %d", c->text,
          insn->mem.base, c->base);
    CHECK(insn->mem.index == reg_or_none(c->index), "%s: index %u want %d", c->text,
          insn->mem.index, c->index);
    if (c->index >= 0)
        CHECK(insn->mem.scale == c->scale, "%s: scale %u", c->text, insn->mem.scale);
    CHECK(insn->mem.rip_relative == c->rip, "%s: rip-relative", c->text);
    CHECK(((uint64_t)insn->mem.disp & amask) == ((uint64_t)c->disp & amask),
          "%s: disp %llx want %llx", c->text, (unsigned long long)insn->mem.disp,
          (unsigned long long)c->disp);
}

static void check_immediates(const struct decode_case *c, const struct x86_insn *insn)
{
    bool port_io = insn->kind == X86_IN || insn->kind == X86_OUT;

    if (port_io) {
        CHECK(insn->io.port_in_dx == (c->port < 0), "%s: port in DX", c->text);
        if (c->port >= 0)
            CHECK(insn->io.port == c->port, "%s: port %u", c->text, insn->io.port);
        return;
    }
    if (c->imm == NOIMM) {
        CHECK(insn->imm_size == 0, "%s: unexpected immediate", c->text);
        return;
    }
    uint64_t mask = x86_size_mask(MIN(insn->op_size, 8));
    CHECK(insn->imm_size > 0, "%s: no immediate", c->text);
    CHECK(((uint64_t)insn->imm & mask) == ((uint64_t)c->imm & mask),
          "%s: imm %llx want %llx", c->text, (unsigned long long)insn->imm,
          (unsigned long long)c->imm);
}

static void check_case(const struct decode_case *c)
{
    struct x86_insn insn;
    int rc = decode_bytes(c->bytes, c->len, c->mode, &insn);

    CHECK(rc == 0, "%d-bit \"%s\": rc %d", c->mode, c->text, rc);
    CHECK(insn.len == c->len, "%s: len %u want %u", c->text, insn.len, c->len);
    CHECK(insn.kind == c->kind, "%s: kind %s want %s", c->text, x86_kind_name(insn.kind),
          x86_kind_name(c->kind));
    if (c->op_size)
        CHECK(insn.op_size == c->op_size, "%s: op_size %u want %u", c->text,
              insn.op_size, c->op_size);
    if (c->addr_size)
        CHECK(insn.addr_size == c->addr_size, "%s: addr_size %u want %u", c->text,
              insn.addr_size, c->addr_size);
    check_memory_operand(c, &insn);
    check_immediates(c, &insn);
    if (c->ctl >= 0) {
        CHECK(insn.ctl_reg == c->ctl, "%s: ctl_reg %u", c->text, insn.ctl_reg);
        CHECK(insn.reg == c->reg, "%s: gpr %u", c->text, insn.reg);
    }
}

START_TEST(objdump_table_decodes_exactly)
{
    for (size_t i = 0; i < ARRAY_SIZE(objdump_cases); i++)
        check_case(&objdump_cases[i]);
}
END_TEST

/* A page boundary can cut an instruction anywhere: every proper prefix of
 * a valid instruction needs more bytes, and trailing bytes never count. */
START_TEST(objdump_table_truncated_at_every_length)
{
    for (size_t i = 0; i < ARRAY_SIZE(objdump_cases); i++) {
        const struct decode_case *c = &objdump_cases[i];
        struct x86_insn insn;

        for (size_t avail = 0; avail < c->len; avail++)
            CHECK(decode_bytes(c->bytes, avail, c->mode, &insn) == -EAGAIN,
                  "%s cut to %zu bytes", c->text, avail);
    }
}
END_TEST

START_TEST(objdump_table_ignores_trailing_bytes)
{
    for (size_t i = 0; i < ARRAY_SIZE(objdump_cases); i++) {
        const struct decode_case *c = &objdump_cases[i];
        char buf[32];
        struct x86_insn insn;

        memset(buf, 0x0F, sizeof(buf));
        memcpy(buf, c->bytes, c->len);
        CHECK_EQ(decode_bytes(buf, sizeof(buf), c->mode, &insn), 0);
        CHECK(insn.len == c->len, "%s padded: len %u", c->text, insn.len);
    }
}
END_TEST

/* ---- hand-written cases: the rules a disassembly does not pin down ------ */

struct raw_case {
    uint8_t mode;
    uint8_t len;
    const char *bytes;
    const char *what;
};

#define RAW(mode, bytes, what) { mode, sizeof(bytes) - 1, bytes, what }

static void decode_ok(unsigned int bits, const char *bytes, size_t len, struct x86_insn *insn)
{
    int rc = decode_bytes(bytes, len, bits, insn);

    ck_assert_msg(rc == 0, "decode rc %d", rc);
    ck_assert_uint_eq(insn->len, len);
}

#define DECODE(bits, bytes, insn) decode_ok(bits, bytes, sizeof(bytes) - 1, insn)

/* The processor raises #UD or #GP on these, or they are outside the
 * supported set: -EINVAL, whether or not more bytes follow. */
static const struct raw_case invalid_cases[] = {
    RAW(64, "\x0f\x0b", "ud2"),
    RAW(64, "\x0f\xff", "ud0"),
    RAW(64, "\x82\x00\x01", "82 is #UD in 64-bit mode"),
    RAW(32, "\x63\x00", "arpl"),
    RAW(16, "\x63\x00", "arpl"),
    RAW(32, "\x40", "inc eax: 40-4F are no REX outside 64-bit mode"),
    RAW(64, "\xc7\xc8\x00\x00\x00\x00", "C7 /1"),
    RAW(64, "\xc7\xf8\x00\x00\x00\x00", "xbegin"),
    RAW(64, "\xc6\xf8\x00", "xabort"),
    RAW(64, "\xf6\x20", "mul (F6 /4)"),
    RAW(64, "\xf7\x38", "idiv (F7 /7)"),
    RAW(64, "\xff\x10", "call (FF /2)"),
    RAW(64, "\xff\x30", "push (FF /6)"),
    RAW(64, "\xfe\x10", "FE /2"),
    RAW(64, "\x0f\xba\x00\x01", "0F BA /0"),
    RAW(64, "\x0f\xc7\xc8", "cmpxchg8b with a register operand"),
    RAW(64, "\x0f\xc7\xf0", "rdrand"),
    RAW(64, "\x0f\xc3\xc0", "movnti to a register"),
    RAW(64, "\x66\x0f\xc3\x00", "66 0F C3 is not movnti"),
    RAW(64, "\xf3\x0f\xc3\x00", "F3 0F C3 is not movnti"),
    RAW(64, "\xf3\x0f\x01\xd9", "vmgexit (F3 vmmcall)"),
    RAW(64, "\x66\x0f\x01\xf9", "66 rdtscp"),
    RAW(64, "\x0f\x01\xf8", "swapgs"),
    RAW(64, "\x0f\x01\xd0", "xgetbv"),
    RAW(64, "\x0f\x01\x00", "sgdt"),
    RAW(64, "\x0f\x01\x18", "lidt"),
    RAW(32, "\x0f\x01\xc1", "vmcall (Intel)"),
    RAW(64, "\xf2\x0f\x09", "F2 wbinvd"),
    RAW(32, "\x66\x0f\x09", "66 wbinvd"),
    RAW(64, "\x41\x90", "xchg r8d, eax"),
    RAW(64, "\xf3\x41\x90", "F3 xchg r8d, eax is no pause"),
    RAW(64, "\xf0\x89\x00", "lock mov"),
    RAW(64, "\xf0\x8b\x00", "lock mov load"),
    RAW(64, "\xf0\x01\xc0", "lock add to a register"),
    RAW(64, "\xf0\x03\x00", "lock add with a register destination"),
    RAW(64, "\xf0\x39\x00", "lock cmp"),
    RAW(64, "\xf0\x85\x00", "lock test"),
    RAW(64, "\xf0\xf6\x00\x01", "lock test imm"),
    RAW(64, "\xf0\x0f\xa3\x00", "lock bt"),
    RAW(64, "\xf0\x0f\xb6\x00", "lock movzx"),
    RAW(64, "\xf0\x0f\x94\x00", "lock sete"),
    RAW(64, "\xf0\xa4", "lock movsb"),
    RAW(64, "\xf0\x0f\xa2", "lock cpuid"),
    RAW(64, "\xf0\x87\xc1", "lock xchg between registers"),
    RAW(64, "\xf0\x0f\x21\xc0", "lock mov from dr0"),
    RAW(64, "\x44\x0f\x21\xc0", "mov from dr8"),
    RAW(64, "\xf0\x44\x0f\x20\xc0", "lock with REX.R: cr16"),
    RAW(64, "\xc4\xe2\x79\x18\x00", "VEX"),
    RAW(64, "\x0f\x38\x00\xc0", "three-byte map"),
    RAW(64, "\xd8\xc0", "x87"),
    RAW(64, "\xe8\x00\x00\x00\x00", "call rel32"),
    RAW(64, "\x8d\x00", "lea"),
    RAW(64, "\x8e\xd8", "mov to a segment register"),
    RAW(16, "\x0f\x0b", "ud2"),
    /* over the 15-byte limit */
    RAW(64, "\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\x2e\xf4", "16-byte hlt"),
    RAW(32, "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x90", "16-byte nop"),
    RAW(64, "\x26\x26\x26\xf0\x48\x81\x84\xc8\x78\x56\x34\x12\x78\x56\x34\x12", "16-byte add"),
};

START_TEST(invalid_instructions_are_rejected)
{
    for (size_t i = 0; i < ARRAY_SIZE(invalid_cases); i++) {
        const struct raw_case *c = &invalid_cases[i];
        struct x86_insn insn;
        char buf[32];

        memset(buf, 0, sizeof(buf));
        memcpy(buf, c->bytes, c->len);
        ck_assert_msg(decode_bytes(buf, sizeof(buf), c->mode, &insn) == -EINVAL, "%s padded",
                      c->what);
        ck_assert_msg(decode_bytes(c->bytes, c->len, c->mode, &insn) == -EINVAL, "%s", c->what);
    }
}
END_TEST

/* The 15-byte limit (APM vol. 3, 1.1): a 15-byte instruction decodes; a
 * 16th byte is never fetched, so a caller with 15 bytes hears -EINVAL
 * rather than -EAGAIN. */
START_TEST(fifteen_byte_limit)
{
    static const char longest[] =       /* lock add qword [rax+rcx*8+d32], imm32 */
        "\x26\x26\xf0\x48\x81\x84\xc8\x78\x56\x34\x12\x78\x56\x34\x12";
    static const char too_long[] =
        "\x26\x26\x26\xf0\x48\x81\x84\xc8\x78\x56\x34\x12\x78\x56\x34\x12";
    static const char prefixed_hlt[] =
        "\x2e\x3e\x26\x64\x65\x36\x2e\x3e\x26\x64\x65\x36\x2e\x3e\xf4";
    struct x86_insn insn;

    DECODE(64, longest, &insn);
    ck_assert_uint_eq(insn.kind, X86_ADD);
    ck_assert(insn.lock);
    ck_assert_int_eq(insn.imm, 0x12345678);
    ck_assert_int_eq(decode_bytes(longest, 14, 64, &insn), -EAGAIN);
    DECODE(64, prefixed_hlt, &insn);
    ck_assert_uint_eq(insn.kind, X86_HLT);
    ck_assert_uint_eq(insn.nr_prefixes, 14);
    ck_assert_uint_eq(insn.seg_prefix, X86_SEG_DS);     /* the last override */
    ck_assert_int_eq(decode_bytes(too_long, 16, 64, &insn), -EINVAL);
    ck_assert_int_eq(decode_bytes(too_long, 15, 64, &insn), -EINVAL);
    ck_assert_int_eq(decode_bytes(too_long, 14, 64, &insn), -EAGAIN);
}
END_TEST

/* REX counts only right before the opcode (SDM vol. 2, 2.2.1): a legacy
 * prefix after it cancels it, and of two REX bytes the last one wins. */
START_TEST(rex_must_immediately_precede_the_opcode)
{
    struct x86_insn insn;

    DECODE(64, "\x48\x66\x89\x00", &insn);      /* REX.W ignored: mov %ax,(%rax) */
    ck_assert_uint_eq(insn.rex, 0);
    ck_assert_uint_eq(insn.op_size, 2);
    DECODE(64, "\x66\x48\x89\x00", &insn);      /* REX.W beats 66 */
    ck_assert_uint_eq(insn.rex, 0x48);
    ck_assert_uint_eq(insn.op_size, 8);
    DECODE(64, "\x48\x41\x89\x00", &insn);      /* only REX.B counts: mov %eax,(%r8) */
    ck_assert_uint_eq(insn.rex, 0x41);
    ck_assert_uint_eq(insn.op_size, 4);
    ck_assert_uint_eq(insn.mem.base, GPR_R8);
    DECODE(64, "\x41\x2e\x8b\x00", &insn);      /* REX.B lost behind CS: base rax */
    ck_assert_uint_eq(insn.mem.base, GPR_RAX);
    ck_assert_uint_eq(insn.nr_prefixes, 2);
    DECODE(64, "\x4c\x0f\xb6\x04\x24", &insn);  /* movzbq (%rsp),%r8: REX.R, REX.W */
    ck_assert_uint_eq(insn.reg, GPR_R8);
    ck_assert_uint_eq(insn.op_size, 8);
    ck_assert_uint_eq(insn.src_size, 1);
}
END_TEST

START_TEST(byte_registers_follow_rex)
{
    struct x86_insn insn;

    DECODE(64, "\x88\x20", &insn);              /* mov %ah,(%rax) */
    ck_assert_uint_eq(insn.reg, 4);
    ck_assert_uint_eq(insn.rex, 0);
    DECODE(64, "\x40\x88\x20", &insn);          /* mov %spl,(%rax) */
    ck_assert_uint_eq(insn.reg, 4);
    ck_assert_uint_eq(insn.rex, 0x40);
    DECODE(64, "\x44\x88\x20", &insn);          /* mov %r12b,(%rax) */
    ck_assert_uint_eq(insn.reg, GPR_R12);
}
END_TEST

START_TEST(prefixes_are_reported)
{
    struct x86_insn insn;

    DECODE(64, "\xf3\x48\xab", &insn);
    ck_assert_uint_eq(insn.kind, X86_STOS);
    ck_assert_uint_eq(insn.rep, X86_REP_E);
    ck_assert_uint_eq(insn.op_size, 8);
    DECODE(64, "\xf2\xae", &insn);
    ck_assert_uint_eq(insn.rep, X86_REP_NE);
    DECODE(64, "\xf2\xf3\xa6", &insn);          /* the last of F2/F3 wins */
    ck_assert_uint_eq(insn.rep, X86_REP_E);
    DECODE(64, "\xf3\xf2\xa6", &insn);
    ck_assert_uint_eq(insn.rep, X86_REP_NE);
    DECODE(32, "\x66\x67\xf0\x65\x01\x08", &insn);  /* lock add %cx,%gs:(%bx,%si) */
    ck_assert(insn.opsize_prefix && insn.addrsize_prefix && insn.lock);
    ck_assert_uint_eq(insn.seg_prefix, X86_SEG_GS);
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_GS);
    ck_assert_uint_eq(insn.op_size, 2);
    ck_assert_uint_eq(insn.addr_size, 2);
    ck_assert_uint_eq(insn.mem.base, GPR_RBX);
    ck_assert_uint_eq(insn.mem.index, GPR_RSI);
    ck_assert_uint_eq(insn.nr_prefixes, 4);
    ck_assert_uint_eq(insn.opcode, 0x01);
    DECODE(64, "\x0f\xb1\x0b", &insn);
    ck_assert_uint_eq(insn.opcode, 0x0FB1);
    ck_assert(insn.has_modrm);
    ck_assert_uint_eq(insn.modrm, 0x0b);
    ck_assert_uint_eq(insn.modrm_mod, 0);
    ck_assert_uint_eq(insn.modrm_reg, 1);
    ck_assert_uint_eq(insn.modrm_rm, 3);
}
END_TEST

/* 64-bit mode ignores ES/CS/SS/DS overrides (APM vol. 3, 1.2.4) but
 * reports them; outside it every override counts. */
START_TEST(segment_overrides)
{
    struct x86_insn insn;

    DECODE(64, "\x2e\x8b\x00", &insn);
    ck_assert_uint_eq(insn.seg_prefix, X86_SEG_CS);
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_DS);
    DECODE(64, "\x3e\x8b\x45\x00", &insn);      /* ds: (%rbp) stays SS */
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_SS);
    DECODE(64, "\x65\x8b\x45\x00", &insn);
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_GS);
    DECODE(32, "\x2e\x8b\x00", &insn);
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_CS);
    DECODE(32, "\x3e\x8b\x45\x00", &insn);
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_DS);
    DECODE(16, "\x8b\x02", &insn);              /* (%bp,%si) */
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_SS);
    DECODE(16, "\x8b\x06\x34\x12", &insn);      /* [0x1234]: no BP */
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_DS);
    DECODE(16, "\x26\xa4", &insn);              /* movsb %es:(%si),%es:(%di) */
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_ES);
    DECODE(64, "\x64\xaa", &insn);              /* stosb ignores the override */
    ck_assert_uint_eq(insn.mem.seg, X86_SEG_ES);
}
END_TEST

START_TEST(immediates_and_moffs)
{
    struct x86_insn insn;

    DECODE(64, "\x83\x00\xff", &insn);          /* addl $-1: imm8 sign-extended */
    ck_assert_int_eq(insn.imm, -1);
    ck_assert_uint_eq(insn.imm_size, 1);
    DECODE(64, "\x66\x81\x00\x34\x82", &insn);  /* addw $0x8234 */
    ck_assert_uint_eq(insn.imm_size, 2);
    ck_assert_uint_eq((uint16_t)insn.imm, 0x8234);
    DECODE(64, "\x48\xc7\x00\x00\x00\x00\x80", &insn);  /* movq $imm32 sign-extended */
    ck_assert_uint_eq(insn.imm_size, 4);
    ck_assert_uint_eq((uint64_t)insn.imm, 0xFFFFFFFF80000000ull);
    DECODE(64, "\x48\xa1\x88\x77\x66\x55\x44\x33\x22\x11", &insn);
    ck_assert_uint_eq(insn.kind, X86_MOV);
    ck_assert(insn.reg_is_dst && insn.has_mem);
    ck_assert_uint_eq(insn.reg, GPR_RAX);
    ck_assert_uint_eq(insn.imm_size, 0);
    ck_assert_uint_eq((uint64_t)insn.mem.disp, 0x1122334455667788ull);
    DECODE(64, "\x67\xa2\x88\x77\x66\xf5", &insn);      /* moffs32 in 64-bit mode */
    ck_assert_uint_eq((uint64_t)insn.mem.disp, 0xF5667788ull);
    ck_assert(!insn.reg_is_dst);
    ck_assert_uint_eq(insn.op_size, 1);
    DECODE(32, "\xa3\x88\x77\x66\x55", &insn);
    ck_assert_uint_eq(insn.addr_size, 4);
    DECODE(16, "\xa1\x34\x12", &insn);
    ck_assert_uint_eq(insn.addr_size, 2);
    ck_assert_uint_eq(insn.mem.disp, 0x1234);
    DECODE(16, "\x67\x66\xa1\x78\x56\x34\x12", &insn);
    ck_assert_uint_eq(insn.op_size, 4);
    ck_assert_uint_eq(insn.mem.disp, 0x12345678);
}
END_TEST

START_TEST(port_io_fields)
{
    static const struct {
        const char *bytes;
        uint8_t len, bits, kind, size;
        bool in, in_dx;
        uint16_t port;
    } io[] = {
        { "\xe4\x80", 2, 64, X86_IN, 1, true, false, 0x80 },
        { "\xe5\x71", 2, 64, X86_IN, 4, true, false, 0x71 },
        { "\x66\xe5\x71", 3, 64, X86_IN, 2, true, false, 0x71 },
        { "\x48\xe5\xff", 3, 64, X86_IN, 4, true, false, 0xff },   /* REX.W ignored */
        { "\xe6\x21", 2, 32, X86_OUT, 1, false, false, 0x21 },
        { "\xe7\xcf", 2, 16, X86_OUT, 2, false, false, 0xcf },
        { "\x66\xe7\xcf", 3, 16, X86_OUT, 4, false, false, 0xcf },
        { "\xec", 1, 64, X86_IN, 1, true, true, 0 },
        { "\xed", 1, 32, X86_IN, 4, true, true, 0 },
        { "\xee", 1, 16, X86_OUT, 1, false, true, 0 },
        { "\x66\xef", 2, 64, X86_OUT, 2, false, true, 0 },
        { "\xf3\x6c", 2, 64, X86_INS, 1, true, true, 0 },
        { "\xf3\x48\x6d", 3, 64, X86_INS, 4, true, true, 0 },
        { "\x66\x6f", 2, 32, X86_OUTS, 2, false, true, 0 },
        { "\xf3\x6f", 2, 16, X86_OUTS, 2, false, true, 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(io); i++) {
        struct x86_insn insn;

        decode_ok(io[i].bits, io[i].bytes, io[i].len, &insn);
        ck_assert_uint_eq(insn.kind, io[i].kind);
        ck_assert_uint_eq(insn.io.size, io[i].size);
        ck_assert_uint_eq(insn.op_size, io[i].size);
        ck_assert_int_eq(insn.io.in, io[i].in);
        ck_assert_int_eq(insn.io.port_in_dx, io[i].in_dx);
        if (!io[i].in_dx)
            ck_assert_uint_eq(insn.io.port, io[i].port);
    }
}
END_TEST

/* MOV CRn: mod is ignored (always a register, no displacement), REX.R
 * reaches CR8-15, LOCK MOV CR0 is AMD's CR8 alias. */
START_TEST(control_and_debug_register_moves)
{
    struct x86_insn insn;

    DECODE(64, "\x0f\x20\x00", &insn);          /* mod 00: still mov %cr0,%rax */
    ck_assert_uint_eq(insn.kind, X86_MOV_FROM_CR);
    ck_assert(!insn.has_mem && insn.reg_is_dst);
    ck_assert_uint_eq(insn.ctl_reg, 0);
    ck_assert_uint_eq(insn.reg, GPR_RAX);
    ck_assert_uint_eq(insn.op_size, 8);
    DECODE(64, "\x0f\x22\x9d", &insn);          /* mod 10 would take disp32 elsewhere */
    ck_assert_uint_eq(insn.kind, X86_MOV_TO_CR);
    ck_assert_uint_eq(insn.ctl_reg, 3);
    ck_assert_uint_eq(insn.reg, GPR_RBP);
    DECODE(64, "\x45\x0f\x22\xc7", &insn);      /* mov %r15,%cr8 */
    ck_assert_uint_eq(insn.ctl_reg, 8);
    ck_assert_uint_eq(insn.reg, GPR_R15);
    DECODE(32, "\xf0\x0f\x20\xc1", &insn);      /* lock mov %cr0,%ecx == %cr8 */
    ck_assert_uint_eq(insn.ctl_reg, 8);
    ck_assert_uint_eq(insn.reg, GPR_RCX);
    ck_assert_uint_eq(insn.op_size, 4);
    DECODE(32, "\x66\x0f\x22\xe0", &insn);      /* 66 does not make it 16-bit */
    ck_assert_uint_eq(insn.op_size, 4);
    ck_assert_uint_eq(insn.ctl_reg, 4);
    DECODE(16, "\x0f\x23\xfa", &insn);          /* mov %edx,%db7 */
    ck_assert_uint_eq(insn.kind, X86_MOV_TO_DR);
    ck_assert_uint_eq(insn.ctl_reg, 7);
    ck_assert_uint_eq(insn.reg, GPR_RDX);
    ck_assert_uint_eq(insn.op_size, 4);
    DECODE(64, "\x41\x0f\x21\xf1", &insn);      /* mov %db6,%r9 */
    ck_assert_uint_eq(insn.kind, X86_MOV_FROM_DR);
    ck_assert_uint_eq(insn.ctl_reg, 6);
    ck_assert_uint_eq(insn.reg, GPR_R9);
}
END_TEST

/* QEMU reports RDTSCP as an RDTSC intercept: the bytes tell them apart. */
START_TEST(system_instructions_are_told_apart)
{
    struct x86_insn insn;

    DECODE(64, "\x0f\x31", &insn);
    ck_assert_uint_eq(insn.kind, X86_RDTSC);
    DECODE(64, "\x0f\x01\xf9", &insn);
    ck_assert_uint_eq(insn.kind, X86_RDTSCP);
    DECODE(64, "\x0f\x01\xd9", &insn);
    ck_assert_uint_eq(insn.kind, X86_VMMCALL);
    DECODE(64, "\x90", &insn);
    ck_assert_uint_eq(insn.kind, X86_NOP);
    DECODE(64, "\xf3\x90", &insn);
    ck_assert_uint_eq(insn.kind, X86_PAUSE);
    DECODE(64, "\x66\xf3\x90", &insn);
    ck_assert_uint_eq(insn.kind, X86_PAUSE);
    DECODE(64, "\x0f\x01\xf7", &insn);          /* lmsw %di */
    ck_assert_uint_eq(insn.kind, X86_LMSW);
    ck_assert_uint_eq(insn.rm, GPR_RDI);
    ck_assert_uint_eq(insn.op_size, 2);
    DECODE(64, "\x48\x0f\x01\xe2", &insn);      /* smsw %rdx */
    ck_assert_uint_eq(insn.kind, X86_SMSW);
    ck_assert_uint_eq(insn.op_size, 8);
    DECODE(64, "\x48\x0f\x01\x20", &insn);      /* smsw (%rax) stores 16 bits */
    ck_assert_uint_eq(insn.op_size, 2);
    ck_assert(insn.has_mem);
    DECODE(64, "\x0f\x01\x3c\x24", &insn);      /* invlpg (%rsp) */
    ck_assert_uint_eq(insn.kind, X86_INVLPG);
    ck_assert_uint_eq(insn.mem.base, GPR_RSP);
}
END_TEST

START_TEST(operand_sizes_of_extensions_and_exchanges)
{
    struct x86_insn insn;

    DECODE(64, "\x48\x63\x08", &insn);          /* movslq (%rax),%rcx */
    ck_assert_uint_eq(insn.kind, X86_MOVSXD);
    ck_assert_uint_eq(insn.op_size, 8);
    ck_assert_uint_eq(insn.src_size, 4);
    DECODE(64, "\x66\x0f\xbe\x08", &insn);      /* movsbw */
    ck_assert_uint_eq(insn.op_size, 2);
    ck_assert_uint_eq(insn.src_size, 1);
    DECODE(64, "\x0f\xb7\x08", &insn);          /* movzwl */
    ck_assert_uint_eq(insn.op_size, 4);
    ck_assert_uint_eq(insn.src_size, 2);
    DECODE(16, "\x0f\xb6\x07", &insn);          /* movzbw (%bx),%ax */
    ck_assert_uint_eq(insn.op_size, 2);
    ck_assert_uint_eq(insn.src_size, 1);
    DECODE(64, "\x48\x0f\xc7\x0e", &insn);
    ck_assert_uint_eq(insn.kind, X86_CMPXCHG16B);
    ck_assert_uint_eq(insn.op_size, 16);
    DECODE(32, "\x0f\xc7\x0e", &insn);
    ck_assert_uint_eq(insn.kind, X86_CMPXCHG8B);
    ck_assert_uint_eq(insn.op_size, 8);
    DECODE(64, "\x0f\x9f\xc4", &insn);          /* setg %ah */
    ck_assert_uint_eq(insn.kind, X86_SETCC);
    ck_assert_uint_eq(insn.cond, 0xF);
    ck_assert(!insn.has_mem);
    ck_assert_uint_eq(insn.rm, 4);
}
END_TEST

/* ---- effective addresses ------------------------------------------------ */

static struct guest_regs sample_regs(void)
{
    struct guest_regs regs;

    for (unsigned int i = 0; i < NR_GPRS; i++)
        regs.gpr[i] = 0x1111111100000000ull * (i + 1) + 0x1000 * (i + 1) + i;
    regs.rip = 0xFFFF800000100000ull;
    regs.rflags = 2;
    return regs;
}

static void check_ea(unsigned int bits, const char *bytes, size_t len,
                     const struct guest_regs *regs, int seg, uint64_t want)
{
    struct x86_insn insn;
    uint64_t ea = 0;

    decode_ok(bits, bytes, len, &insn);
    ck_assert_int_eq(x86_effective_address(&insn, regs, &ea), seg);
    ck_assert_msg(ea == want, "ea %llx want %llx", (unsigned long long)ea,
                  (unsigned long long)want);
}

#define EA(bits, bytes, regs, seg, want) check_ea(bits, bytes, sizeof(bytes) - 1, regs, seg, want)

START_TEST(effective_address_forms)
{
    struct guest_regs r = sample_regs();
    uint64_t *g = r.gpr;

    EA(64, "\x8b\x44\x98\x10", &r, X86_SEG_DS, g[GPR_RAX] + g[GPR_RBX] * 4 + 0x10);
    EA(64, "\x8b\x45\xf0", &r, X86_SEG_SS, g[GPR_RBP] - 0x10);
    EA(64, "\x43\x8b\x44\xfd\x80", &r, X86_SEG_DS, g[GPR_R13] + g[GPR_R15] * 8 - 0x80);
    EA(64, "\x8b\x05\x10\x00\x00\x00", &r, X86_SEG_DS, r.rip + 6 + 0x10);   /* RIP-relative */
    EA(64, "\x65\x8b\x05\xf0\xff\xff\xff", &r, X86_SEG_GS, r.rip + 7 - 0x10);
    EA(64, "\x67\x8b\x05\x10\x00\x00\x00", &r, X86_SEG_DS, (r.rip + 7 + 0x10) & 0xFFFFFFFF);
    EA(64, "\x67\x8b\x44\x98\x10", &r, X86_SEG_DS,
       (g[GPR_RAX] + g[GPR_RBX] * 4 + 0x10) & 0xFFFFFFFF);
    EA(64, "\x8b\x04\x25\x00\x00\x00\xf0", &r, X86_SEG_DS, 0xFFFFFFFFF0000000ull);
    EA(64, "\x8b\x04\x8d\x34\x12\x00\x00", &r, X86_SEG_DS, g[GPR_RCX] * 4 + 0x1234);
    EA(64, "\x42\x8b\x04\x24", &r, X86_SEG_SS, g[GPR_RSP] + g[GPR_R12]);     /* REX.X: r12 */
    EA(64, "\x48\xa1\x88\x77\x66\x55\x44\x33\x22\x11", &r, X86_SEG_DS, 0x1122334455667788ull);
    EA(32, "\x8b\x44\x98\x10", &r, X86_SEG_DS,
       (g[GPR_RAX] + g[GPR_RBX] * 4 + 0x10) & 0xFFFFFFFF);
    EA(32, "\x8b\x05\x10\x00\x00\x00", &r, X86_SEG_DS, 0x10);   /* absolute, not RIP */
    EA(16, "\x8b\x40\x80", &r, X86_SEG_DS, (g[GPR_RBX] + g[GPR_RSI] - 0x80) & 0xFFFF);
    EA(16, "\x8b\x83\xff\x7f", &r, X86_SEG_SS, (g[GPR_RBP] + g[GPR_RDI] + 0x7FFF) & 0xFFFF);
    EA(16, "\x8b\x46\x00", &r, X86_SEG_SS, g[GPR_RBP] & 0xFFFF);
    EA(16, "\x8b\x06\xfe\xff", &r, X86_SEG_DS, 0xFFFE);
    EA(16, "\x67\x8b\x04\x58", &r, X86_SEG_DS, (g[GPR_RAX] + g[GPR_RBX] * 2) & 0xFFFFFFFF);
    EA(64, "\xa4", &r, X86_SEG_DS, g[GPR_RSI]);                 /* string source */
    EA(64, "\x67\x48\xab", &r, X86_SEG_ES, g[GPR_RDI] & 0xFFFFFFFF);
    EA(16, "\x64\xac", &r, X86_SEG_FS, g[GPR_RSI] & 0xFFFF);
    EA(32, "\x6c", &r, X86_SEG_ES, g[GPR_RDI] & 0xFFFFFFFF);
}
END_TEST

START_TEST(effective_address_needs_a_memory_operand)
{
    struct guest_regs r = sample_regs();
    struct x86_insn insn;
    uint64_t ea = 0x1234;

    DECODE(64, "\x01\xc8", &insn);              /* add %ecx,%eax */
    ck_assert_int_eq(x86_effective_address(&insn, &r, &ea), -EINVAL);
    DECODE(64, "\x0f\xa2", &insn);
    ck_assert_int_eq(x86_effective_address(&insn, &r, &ea), -EINVAL);
    ck_assert_int_eq(x86_string_dst_address(&insn, &r, &ea), -EINVAL);
    ck_assert_uint_eq(ea, 0x1234);
    DECODE(64, "\x8b\x00", &insn);
    ck_assert_int_eq(x86_string_dst_address(&insn, &r, &ea), -EINVAL);
    DECODE(16, "\xa7", &insn);                  /* cmpsw */
    ck_assert_int_eq(x86_string_dst_address(&insn, &r, &ea), X86_SEG_ES);
    ck_assert_uint_eq(ea, r.gpr[GPR_RDI] & 0xFFFF);
    DECODE(64, "\x2e\xa5", &insn);              /* movsl: cs ignored */
    ck_assert_int_eq(x86_string_dst_address(&insn, &r, &ea), X86_SEG_ES);
    ck_assert_uint_eq(ea, r.gpr[GPR_RDI]);
}
END_TEST

START_TEST(kind_names_and_modes)
{
    for (unsigned int k = 0; k < X86_NR_KINDS; k++) {
        ck_assert_str_ne(x86_kind_name(k), "?");
        for (unsigned int j = 0; j < k; j++)
            ck_assert_str_ne(x86_kind_name(k), x86_kind_name(j));
    }
    ck_assert_str_eq(x86_kind_name(X86_NR_KINDS), "?");
    ck_assert_str_eq(x86_kind_name(X86_RDTSCP), "rdtscp");
    /* x86_code_mode(cr0_pe, rflags_vm, efer_lma, cs_l, cs_d) */
    ck_assert_int_eq(x86_code_mode(false, false, false, false, true), X86_MODE_16);
    ck_assert_int_eq(x86_code_mode(true, true, false, false, true), X86_MODE_16);
    ck_assert_int_eq(x86_code_mode(true, false, false, false, false), X86_MODE_16);
    ck_assert_int_eq(x86_code_mode(true, false, false, false, true), X86_MODE_32);
    ck_assert_int_eq(x86_code_mode(true, false, true, false, true), X86_MODE_32);
    ck_assert_int_eq(x86_code_mode(true, false, true, true, false), X86_MODE_64);
    ck_assert_int_eq(x86_code_mode(true, false, false, true, false), X86_MODE_16);
}
END_TEST

/* Random bytes: whatever the decoder accepts has a consistent length,
 * decodes the same from exactly that many bytes, and needs all of them. */
START_TEST(random_bytes_decode_consistently)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    unsigned int accepted = 0;

    for (unsigned int n = 0; n < 200000; n++) {
        uint8_t buf[16];
        struct x86_insn insn, again;
        unsigned int bits = (unsigned int[]){ 16, 32, 64 }[n % 3];

        for (unsigned int i = 0; i < sizeof(buf); i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = (uint8_t)(seed >> 56);
        }
        if (n & 1)
            buf[0] = (uint8_t[]){ 0x66, 0x67, 0xF0, 0xF3, 0x48, 0x0F, 0x2E, 0x41 }[n / 2 % 8];
        if (decode_bytes((const char *)buf, sizeof(buf), bits, &insn) != 0)
            continue;
        accepted++;
        CHECK(insn.len >= 1 && insn.len <= X86_MAX_INSN_LEN, "len %u", insn.len);
        CHECK(insn.kind > X86_KIND_NONE && insn.kind < X86_NR_KINDS, "kind %u", insn.kind);
        CHECK_EQ(decode_bytes((const char *)buf, insn.len, bits, &again), 0);
        CHECK_EQ(memcmp(&insn, &again, sizeof(insn)), 0);
        CHECK_EQ(decode_bytes((const char *)buf, insn.len - 1u, bits, &again), -EAGAIN);
    }
    ck_assert_uint_gt(accepted, 10000);
}
END_TEST

Suite *x86_decode_suite(void)
{
    Suite *s = suite_create("x86_decode");
    TCase *tc = tcase_create("decode");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, objdump_table_decodes_exactly);
    tcase_add_test(tc, objdump_table_truncated_at_every_length);
    tcase_add_test(tc, objdump_table_ignores_trailing_bytes);
    tcase_add_test(tc, invalid_instructions_are_rejected);
    tcase_add_test(tc, fifteen_byte_limit);
    tcase_add_test(tc, rex_must_immediately_precede_the_opcode);
    tcase_add_test(tc, byte_registers_follow_rex);
    tcase_add_test(tc, prefixes_are_reported);
    tcase_add_test(tc, segment_overrides);
    tcase_add_test(tc, immediates_and_moffs);
    tcase_add_test(tc, port_io_fields);
    tcase_add_test(tc, control_and_debug_register_moves);
    tcase_add_test(tc, system_instructions_are_told_apart);
    tcase_add_test(tc, operand_sizes_of_extensions_and_exchanges);
    tcase_add_test(tc, effective_address_forms);
    tcase_add_test(tc, effective_address_needs_a_memory_operand);
    tcase_add_test(tc, kind_names_and_modes);
    tcase_add_test(tc, random_bytes_decode_consistently);
    suite_add_tcase(s, tc);
    return s;
}
