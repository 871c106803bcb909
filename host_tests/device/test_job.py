# firmware.job: code that runs only at startup or with the output off, after
# which every firmware module it loaded is dropped (M8), with no list kept by
# hand (issue 16). Runs in CPython and in the unix port.
import sys

import firmware

_MODS = ("firmware.profiles", "firmware.store", "firmware.startup", "firmware.journal",
         "firmware.names")


def _unload():
    # A known start: the package as an import finds it now (a simulated
    # board's reset, in an earlier test, may have replaced the one imported
    # above), with none of these loaded.
    global firmware
    import firmware

    for name in _MODS:
        sys.modules.pop(name, None)
        if hasattr(firmware, name[9:]):
            delattr(firmware, name[9:])


def _loaded(name):
    return name in sys.modules or hasattr(firmware, name[9:])


def test_a_job_returns_its_value_and_drops_what_it_loaded():
    _unload()
    assert firmware.job("profiles", "reminder", 3) is not None  # a medicated tray
    assert not _loaded("firmware.profiles")


def test_control_the_same_call_imported_directly_stays_loaded():
    # The control: without the job the module stays, so the check above can fail.
    _unload()
    from firmware import profiles

    assert profiles.reminder(3) is not None
    assert _loaded("firmware.profiles")


def test_a_module_loaded_before_the_job_stays():
    _unload()
    from firmware import profiles  # noqa: F401  (loaded before: the loop's, say)

    firmware.job("profiles", "reminder", 3)
    assert _loaded("firmware.profiles")


def test_a_job_that_raises_still_drops_what_it_loaded():
    _unload()
    try:
        firmware.job("store", "check_config", {"profile": "no"})
    except ValueError:
        pass
    else:
        raise AssertionError("store.check_config took a bad config")
    assert not _loaded("firmware.store")


def test_what_a_job_loads_for_itself_goes_too():
    # startup.after_reset's journal (and the journal's names), loaded inside
    # the job: gone with the job's own module, and nothing else of the package.
    _unload()
    before = set(m for m in sys.modules if m.startswith("firmware."))
    rec = firmware.job("journal", "last", "build/test_job_empty/")
    assert rec is None  # no journal in that folder
    for name in ("firmware.journal", "firmware.names"):
        assert not _loaded(name), name
    assert set(m for m in sys.modules if m.startswith("firmware.")) == before


def test_nested_jobs_drop_at_their_own_end():
    # boards.load runs two jobs of its own (the board's module, then the
    # completeness check): each inner job's modules go at its end, while the
    # outer job's module is still there; the outer's go at the outer's end.
    _unload()
    sys.modules.pop("firmware.boards", None)
    if hasattr(firmware, "boards"):
        delattr(firmware, "boards")
    seen = []
    real = firmware.job

    def spy(module, fn, *args):
        out = real(module, fn, *args)
        seen.append((module, _loaded("firmware.boards"), "firmware.boards.pico" in sys.modules,
                     _loaded("firmware.board_check")))
        return out

    firmware.job = spy
    try:
        board = real("boards", "load", "pico")
    finally:
        firmware.job = real
    assert board["name"] == "pico"
    assert seen == [("boards", True, False, False), ("board_check", True, False, False)]
    assert not _loaded("firmware.boards")


def test_a_module_in_a_subpackage_goes_from_its_package_too():
    # firmware.boards.pico: the dict is kept, the module (its attribute on
    # firmware.boards included) goes.
    _unload()
    from firmware import boards

    board = firmware.job("boards", "_board", "pico")
    assert board["name"] == "pico"
    assert "firmware.boards.pico" not in sys.modules
    assert not hasattr(boards, "pico")
