# Folders on the host's disk that stand in for a board's flash (simulator and
# device tests; plain code for CPython and the MicroPython unix port).
import os


def mkdirs(path):
    # Like os.makedirs(path, exist_ok=True), which MicroPython lacks; returns path.
    parts = path.split("/")
    for k in range(1, len(parts) + 1):
        d = "/".join(parts[:k])
        if d:  # "" before the root's "/"
            try:
                os.mkdir(d)
            except OSError:
                pass  # there already
    return path


def wipe(folder):
    # Empty a folder (files and folders below it), keep the folder itself.
    for name in os.listdir(folder):
        path = folder + "/" + name
        if os.stat(path)[0] & 0x4000:  # a folder
            wipe(path)
            os.rmdir(path)
        else:
            os.remove(path)
