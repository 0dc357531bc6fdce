"""Helpers for the session's integration tests: a served folder ferryd may serve, and
short-hands for the peers (ftplib, curl, lftp) that drive it.

ferryd never serves as root: started as root it drops to the owner of the served folder.
When the tests run as root, served folders are therefore handed to "nobody"."""
import contextlib
import ftplib
import os
import pwd
import shutil
import subprocess
import unittest

import ferrytest


def _nobody():
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return None


def chown_for_ferryd(path):
    """Gives path and everything under it to the user ferryd will run as."""
    if os.geteuid() != 0:
        return
    owner = _nobody()
    if owner is None:
        raise unittest.SkipTest("running as root and there is no 'nobody' user to serve as")
    for folder, dirs, files in os.walk(path):
        os.chown(folder, *owner)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), *owner, follow_symlinks=False)


@contextlib.contextmanager
def served_tree(files=None, links=None):
    """ferrytest.temp_tree plus symlinks {name: target}, owned by ferryd's user."""
    with ferrytest.temp_tree(files) as root:
        for name, target in (links or {}).items():
            os.symlink(target, os.path.join(root, name))
        chown_for_ferryd(root)
        yield root


def ftp(server, login=True, timeout=20):
    client = ftplib.FTP(timeout=timeout)
    client.encoding = "utf-8"
    client.connect(server.host, server.port)
    if login:
        client.login()   # anonymous
    return client


def retr_bytes(client, path):
    chunks = []
    client.retrbinary(f"RETR {path}", chunks.append)
    return b"".join(chunks)


def need_program(name):
    if shutil.which(name) is None:
        raise unittest.SkipTest(f"{name} is not installed (Debian package: {name})")


def curl(*args, check=True, timeout=60):
    """Runs curl quietly; returns the CompletedProcess (stdout as bytes)."""
    need_program("curl")
    result = subprocess.run(["curl", "--silent", "--show-error", "--max-time", str(timeout)]
                            + list(args), capture_output=True, timeout=timeout + 10)
    if check and result.returncode != 0:
        raise AssertionError(f"curl {' '.join(args)} failed ({result.returncode}): "
                             f"{result.stderr.decode(errors='replace')}")
    return result


def lftp(server, script, timeout=60):
    need_program("lftp")
    settings = ("set net:max-retries 1; set net:timeout 10; set net:reconnect-interval-base 1; "
                "set ftp:ssl-allow no; set cmd:fail-exit yes; ")
    result = subprocess.run(["lftp", "-c", settings + f"open -p {server.port} {server.host}; "
                             + script], capture_output=True, timeout=timeout)
    return result


def temp_files(root):
    """Upload temp files left anywhere under root."""
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, n) for n in files if n.startswith(".ferry-upload-")]
    return found
