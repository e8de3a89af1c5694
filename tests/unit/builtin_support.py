"""Shared by the builtin tests: a stand-in for the runtime a builtin receives, and call helpers."""

from __future__ import annotations

import random

import pytest

from ruff.runtime.builtins import BUILTINS
from ruff.runtime.values import RuffError


class FakeRT:
    def __init__(self):
        self.out = []
        self.script_args = []
        self.random = random.Random(0)
        self.filename = "test.ruff"

    def write(self, text):
        self.out.append(text)

    def call(self, f, args):
        return f.fn(self, list(args))


def call(name, *args):
    return BUILTINS[name].fn(FakeRT(), list(args))


def raises(name, *args, match=""):
    with pytest.raises(RuffError) as info:
        call(name, *args)
    assert match in info.value.message, info.value.message
    return info.value.message


# Builtins with effects outside the call: files, env, processes, the network, sleeping, exiting, settings.
UNSAFE = {"input", "exit", "sleep", "execute", "execute_status", "spawn_process", "os_chdir", "os_rmdir",
          "create_dir", "write_file", "write_file_sync", "append_file", "delete_file", "rename_file",
          "copy_file", "env_set", "eprint", "pipe_commands", "kv_set", "async_write_file", "async_write_files",
          "ssg_render_and_write_pages", "ssg_read_render_and_write_pages", "gif_to_webp", "set_task_pool_size",
          "http_get", "http_post", "http_put", "http_delete", "http_request", "http_get_binary", "http_get_stream",
          "parallel_http", "async_http_get", "async_http_post", "oauth2_get_token", "tcp_listen", "tcp_connect",
          "udp_bind"}
