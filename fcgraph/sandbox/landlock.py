"""Landlock through raw syscalls: a process gives up writing outside a few directories, for itself and its children.

One bubblewrap jail then serves every dialogue of a run: the jail keeps the host read-only and off the
network, and each forked worker confines its own writes to its dialogue's copy, so that a tool of one
dialogue cannot touch another dialogue's files. Reads stay unrestricted (the jail already decides what
can be seen). Needs no privileges and no library beyond libc.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# every access right that changes the file system, with the first ABI version that knows it
_WRITE_RIGHTS = (
    (1, 1 << 1),  # write to a file
    (1, 1 << 4),  # remove a directory
    (1, 1 << 5),  # remove a file
    (1, 1 << 6),  # make a character device
    (1, 1 << 7),  # make a directory
    (1, 1 << 8),  # make a regular file
    (1, 1 << 9),  # make a unix socket
    (1, 1 << 10),  # make a FIFO
    (1, 1 << 11),  # make a block device
    (1, 1 << 12),  # make a symlink
    (2, 1 << 13),  # link or rename into another directory (denied everywhere unless handled and allowed)
    (3, 1 << 14),  # truncate
    (5, 1 << 15),  # ioctl on a device
)
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6: no reaching processes outside the domain

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall(number: int, *args: object) -> int:
    return _libc.syscall(ctypes.c_long(number), *args)


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"landlock: {what}: {os.strerror(errno)}")
    return result


def abi_version() -> int:
    """The kernel's Landlock ABI version, 0 when it has none or it is disabled."""
    version = _syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(version, 0)


def restrict_writes(writable: Iterable[str]) -> None:
    """From now on this process and its future children may change files only beneath `writable`.

    On ABI 6 and later they may also no longer signal, or connect to abstract unix sockets of, processes
    outside their own domain (the zygote, the provider, other dialogues' workers).
    """
    abi = abi_version()
    if abi < 1:
        raise OSError("landlock is not available on this kernel")
    rights = sum(right for since, right in _WRITE_RIGHTS if abi >= since)
    attr = _RulesetAttr(handled_access_fs=rights, scoped=_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0)
    size = ctypes.c_size_t(ctypes.sizeof(attr))  # the kernel accepts the newer fields as long as they are zero
    ruleset = _check(_syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), size, ctypes.c_uint32(0)), "create_ruleset")
    try:
        for path in writable:
            directory = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(allowed_access=rights, parent_fd=directory)
                _check(_syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)),
                       f"add_rule {path}")
            finally:
                os.close(directory)
        _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        _check(_syscall(_SYS_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)), "restrict_self")
    finally:
        os.close(ruleset)
