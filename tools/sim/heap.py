# Taking the last boot's firmware apart at a simulated reset.
#
# A board starts after a reset with an empty heap. The simulated board runs
# the next boot in the same interpreter, after a gc.collect(); but the unix
# port's collector scans the C stack conservatively, and one stale word there
# that points into the last boot's objects keeps everything they reach alive:
# through the app, the whole firmware (about 32 KB, measured by keeping the
# app on purpose), which the 192K heap then lacks (a CI run ran out while
# allocating the next boot's trace buffer). Whether such a word is left over
# depends on the machine's C library and CPU, not on the firmware. Taken
# apart, the last boot's objects hold little each: a stale pointer keeps one
# object, its class and its methods at most.


def dismantle(modules, roots):
    # modules: the last boot's firmware modules (not the test's own copies);
    # roots: its objects (the app). Every object of a firmware class reached
    # from the roots through attributes, lists, tuples and dicts loses its
    # attributes; then each module loses its globals. Only for objects that
    # nothing runs again: the board was reset.
    # The classes these modules define (not those they import: the fake
    # machine's pins are the simulator's, still in use).
    names = [getattr(m, "__name__", None) for m in modules]
    classes = []
    for m in modules:
        for v in m.__dict__.values():
            if isinstance(v, type) and getattr(v, "__module__", None) in names:
                classes.append(v)
    seen = set()
    todo = list(roots)
    while todo:
        o = todo.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, (list, tuple)):
            todo.extend(o)
        elif isinstance(o, dict):
            todo.extend(o.values())
        elif type(o) in classes:
            for name, v in list(o.__dict__.items()):
                todo.append(v)
                setattr(o, name, None)
    for m in modules:
        m.__dict__.clear()
