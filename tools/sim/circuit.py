# The reference circuit and a hand (or foot) in two trays, after
# shared/design/measures.md. Every default is a parameter. The state is
# brought up to date lazily, in closed form over the elapsed time, whenever
# the firmware reads or writes something, so the model costs little per tick.
#
#   set PWM -> 2-pole RC (2 ms + 2 ms) -> sink target I = V_set * gain / R_sense
#   I <= compliance: (rail - headroom - V_skin) / (R_limit+PTC + R_series + R_sense)
#   load = R_series + (R_skin || C_skin); hardware trip latch at hw_cap_ua
#
# Partial immersion (SR-23): the skin in contact with the water is a fraction
# of the full area (1.0 = fully immersed); the skin resistance is inversely
# proportional to it and its capacitance proportional (R * C stays the same),
# and the current density is I / area (density_ua(): the current that would
# give the same density over the full area).
import math

from tools.sim.prng import Prng

# Contact states
IN_WATER = 0
LIFTED = 1  # open circuit
SHORTED = 2  # load 50 Ohm (both electrodes in one tray, a wet bridge)

DEFAULTS = {
    "series_ohm": 300.0,  # water, tray, electrode (range 100-800)
    "skin_start_ohm": 3000.0,  # falling linearly to skin_end_ohm over skin_fall_s
    "skin_end_ohm": 1800.0,
    "skin_fall_s": 1200.0,
    "skin_walk_pct": 5.0,  # slow random walk, +- this
    "skin_uf": 0.5,  # in parallel with the skin (range 0.1-2)
    "short_ohm": 50.0,
    "reimmerse_ohm": 20000.0,  # partial contact, falling to nominal over 200 ms
    "reimmerse_s": 0.2,
    # The pack (None: the board's build's, pack() below): its voltage at the start,
    # its fall per mAh drawn by the output, and the pack voltage below which the rail
    # sags (in proportion).
    "battery_mv": None,
    "battery_drop_mv_per_mah": None,
    "rail_out_ohm": 100.0,  # boost converter output resistance: the rail sags with load
    # The board's own series path between the rail and the electrodes, R_limit and the
    # PTC (None: the board description's limit_ohm, design.py's R1 + F2, checked by
    # host_tests/test_circuit_spice.py). In the current's path, not in the load the
    # electrodes see (electrode_mv()).
    "limit_ptc_ohm": None,
    "rail_min_battery_mv": None,
    "adc_gain_pct": 1.0,  # per channel, +- (seeded)
    "adc_offset_lsb": 3,  # per channel, +- (seeded)
    "adc_noise_lsb": 2.0,  # white noise sigma
    "mcu_hz": 125000000,
}
SPIKES = (512, 1536, 2560, 3584)  # RP2040 ADC DNL: widened codes (errata E11)
CHANNELS = ("current", "voltage", "rail", "battery")

# The pack each build runs on (issue 18 item 2; docs/wiring.md, "The power path").
# The Pico build: one protected Li-ion cell on VSYS (GP29 reads VSYS/3, the cell), and
# U7, a one-cell-to-12 V boost, feeding the op-amps, the 5 V buck and the rail boost
# U2. The ESP32 DevKitC build: a 2S pack feeding the buck and U2 itself. Per cell,
# tools/circuit/design.py PACK_V (lowest, nominal, full) divided by its cells:
CELL_MIN_MV = 3000.0  # the cut-off: each board file's battery_min_mv is this a cell
CELL_NOMINAL_MV = 3700.0
CELL_FULL_MV = 4200.0
# The simulator's own assumption: a charged cell under the session's load, between
# PACK_V's nominal and full (2 x 3900 was the simulator's one pack, for every board,
# until issue 18 item 2).
CELL_START_MV = 3900.0
# By the MicroPython port a board runs (its "port"): every rp2 board is the Pico
# build (pico, pico2, pico_oled, pico_rtc; picow and pico2w read no battery but take
# the same power path, docs/wiring.md), esp32 the DevKitC build.
#   cells: the pack's cells in series;
#   rail_min_battery_mv: the lowest pack voltage at which the rail holds. Pico: U7's
#     lowest input, 2.9 V (design.py U7, the Pololu U3V40F12's figure as recalled):
#     below it there is no 12 V for U2. ESP32: the simulator's assumption (6.4 V since
#     its start, 3.2 V a cell), above the 6 V lowest input design.py states for U1
#     (and U2), so that the rail sags a little before the firmware's 6.0 V cut-off;
#   efficiency: from the pack to the rail. Pico: U7 then U2; ESP32: U2. 85 % each
#     (design.py's F1 comment takes U7 at 85 %; U2's assumed the same);
#   cell_mah: a cell's capacity, the pack in the build's order list (hardware/
#     order_*.csv, tools/circuit/offboard.py): Adafruit 328 (2500 mAh, Pico), Tenergy
#     31003 (2S 2200 mAh, ESP32);
BUILDS = {
    "rp2": {"cells": 1, "rail_min_battery_mv": 2900.0, "efficiency": 0.85 * 0.85,
            "cell_mah": 2500.0},
    "esp32": {"cells": 2, "rail_min_battery_mv": 6400.0, "efficiency": 0.85,
              "cell_mah": 2200.0},
}


def pack(board):
    # The model's pack for `board`'s build: {"cells", "battery_mv",
    # "battery_drop_mv_per_mah", "rail_min_battery_mv"}. The fall with the charge the
    # output draws (mAh at the rail): the energy it takes at the rail (rail_mv x mAh),
    # divided by the path's efficiency, out of the pack's energy (cells x nominal x
    # capacity), over which the pack falls from full to its cut-off (cells x 1.2 V) --
    # linear in the energy, steeper than a Li-ion cell's flat middle: a pessimistic
    # law. The cells cancel: mV/mAh = rail x (full - min) / (eff x nominal x mAh), a
    # cell's figures: about 10 mV a mAh on both builds (the model had 2.0 for every
    # board before issue 18 item 2, with no source). Left out: what the board, the
    # op-amps and the relay draw.
    port = board["port"]
    if port not in BUILDS:
        raise ValueError("no simulated pack for port " + port)
    build = BUILDS[port]
    cells = build["cells"]
    drop = (board["rail_mv"] / 1000.0 * (CELL_FULL_MV - CELL_MIN_MV)
            / (build["efficiency"] * CELL_NOMINAL_MV / 1000.0 * build["cell_mah"]))
    return {"cells": cells, "battery_mv": cells * CELL_START_MV,
            "battery_drop_mv_per_mah": drop,
            "rail_min_battery_mv": build["rail_min_battery_mv"]}
BENCH_SKIN_OHM = 100.0  # bench_resistor(): the part of the resistor modelled as "skin"


def bench_resistor(ohm):
    # The model parameters for a bench resistor of `ohm` in place of a hand:
    # no skin fall, no random walk, a small capacitance (the "skin" is only
    # BENCH_SKIN_OHM of the resistor, so the load is `ohm` at DC).
    if not ohm > 2 * BENCH_SKIN_OHM:
        raise ValueError("a bench resistor must be above " + str(int(2 * BENCH_SKIN_OHM)) + " Ohm")
    return {"series_ohm": ohm - BENCH_SKIN_OHM, "skin_start_ohm": BENCH_SKIN_OHM,
            "skin_end_ohm": BENCH_SKIN_OHM, "skin_walk_pct": 0.0, "skin_uf": 0.1}


class Circuit:
    def __init__(self, board, seed=1, params=None):
        p = dict(DEFAULTS)
        if params:
            for k in params:
                if k not in p:
                    raise ValueError("unknown model parameter " + k)
                p[k] = params[k]
        own = pack(board)
        for k in ("battery_mv", "battery_drop_mv_per_mah", "rail_min_battery_mv"):
            if p[k] is None:
                p[k] = own[k]
        if p["limit_ptc_ohm"] is None:
            # R_limit and the PTC (the board's limit_ohm, design.py's R1 + F2): without
            # them the compliance was 5.7 % optimistic against SPICE at 25 mA into
            # 2.5 kOhm (issue 18 item 3).
            p["limit_ptc_ohm"] = float(board["limit_ohm"])
        self.p = p
        self.board = board
        rng = Prng(seed)
        self.rng = rng
        self.noise = rng.table(1024)
        self._noise_scale = p["adc_noise_lsb"] / 1000.0
        self._k = 0
        # Per-channel ADC gain (ratio) and offset (LSB), fixed for this board.
        self.adc_gain = {}
        self.adc_offset = {}
        for ch in CHANNELS:
            self.adc_gain[ch] = 1.0 + (rng.uniform() * 2 - 1) * p["adc_gain_pct"] / 100
            self.adc_offset[ch] = int((rng.uniform() * 2 - 1) * (p["adc_offset_lsb"] + 0.99))
        self.r_sense = float(board["current_sense_ohm"])
        # The board's bias divider at the current and voltage ADC pins.
        self._bias = {"current": board["current_bias_mv"], "voltage": board["voltage_bias_mv"],
                      "rail": 0, "battery": 0}
        self.tau_set = board["set_filter_ms"] / 1000.0
        self.t = 0.0  # model time, seconds
        self.v1 = 0.0  # RC stage 1 (mV)
        self.v2 = 0.0  # RC stage 2 (mV)
        self.v_skin = 0.0  # voltage on the skin capacitance (mV)
        self.i_ua = 0.0  # true current through the person (peak when pulsed)
        self.i_avg_ua = 0.0  # what the sense RC shows (average when pulsed)
        self.contact = IN_WATER
        self.immersed_at = 0.0
        # Contact area, a fraction of the full area, moving linearly from
        # _area_from (at _area_t0) to _area_to (at _area_t1): immerse_fraction().
        self._area_from = 1.0
        self._area_to = 1.0
        self._area_t0 = 0.0
        self._area_t1 = 0.0
        self.pressed_until = -1.0
        self.press_factor = 1.0
        self.walk = 1.0
        self.walk_next = 1.0
        self.battery_mv = p["battery_mv"]
        self.battery_sag_mv_per_s = 0.0
        self.charge_uas = 0.0  # uA*s drawn from the pack by the output
        self.tripped = False
        self.force_trip = False
        self.leak_ua = 0.0  # S9: current that flows with the output off
        self.stuck = {}  # channel -> code (or uV on esp32) it reads
        self.frozen = {}  # channel -> last reading, repeated
        # Fault injection (tools/sim/faults.py): a failing sink that passes this
        # much more than it is set to while the switch is on; a trip latch that
        # the reset pulse cannot clear; a relay whose contacts do not follow
        # its coil ("stuck") or open between the two sides ("open").
        self.sink_extra_ua = 0.0
        self.trip_stuck = False
        self.relay_fault = None
        # Inputs from the fake machine (updated on every pin/PWM change).
        self.set_frac = 0.0  # filtered-PWM input, 0..1 of the high level
        self.gate = 0.0  # output switch: 0 off, 1 on, else pulsed duty
        self.relay = 0
        self.relay_switches_under_current = 0
        self.relay_switches = 0
        self.max_i_ua = 0.0

    # ---- the load ----
    def area_fraction(self):
        # The skin in contact with the water now, a fraction of the full area.
        t1 = self._area_t1
        if self.t >= t1:
            return self._area_to
        t0 = self._area_t0
        return self._area_from + (self._area_to - self._area_from) * (self.t - t0) / (t1 - t0)

    def density_ua(self):
        # The model's current density, as the current that would give the same
        # density over the full area (I / area fraction): equal to the current
        # when fully immersed; 0 when no skin carries current (lifted, shorted).
        if self.contact != IN_WATER:
            return 0.0
        return self.i_ua / self.area_fraction()

    def skin_ohm(self):
        p = self.p
        span = (self.t - self.immersed_at) / p["skin_fall_s"]
        if span > 1.0:
            span = 1.0
        r = p["skin_start_ohm"] + (p["skin_end_ohm"] - p["skin_start_ohm"]) * span
        r *= self.walk
        if self.t < self.pressed_until:
            r *= self.press_factor
        r /= self.area_fraction()  # less skin in the water: more resistance
        dt = self.t - self.immersed_at
        if dt < p["reimmerse_s"] and self.immersed_at > 0:
            # Partial contact after re-immersion: 20 kOhm falling to nominal.
            frac = dt / p["reimmerse_s"]
            r = p["reimmerse_ohm"] * (1 - frac) + r * frac
        return r

    def load_ohm(self):
        if self.contact == LIFTED:
            return 1e9
        if self.contact == SHORTED:
            return self.p["short_ohm"]
        return self.p["series_ohm"] + self.skin_ohm()

    def rail_mv(self):
        p = self.p
        r = self.board["rail_mv"] - p["rail_out_ohm"] * self.i_avg_ua / 1000.0
        if self.battery_mv < p["rail_min_battery_mv"]:
            r *= self.battery_mv / p["rail_min_battery_mv"]
        return r

    # ---- time ----
    def update(self, now_s):
        dt = now_s - self.t
        if dt < 20e-6:
            # Closed form over any interval: skipping tiny steps loses nothing
            # but the input change inside them (20 us against a 2 ms filter).
            return
        self.t = now_s
        # Set filter: two identical first-order stages, exact for a step input.
        u = self.set_frac * self.board["set_pwm_high_mv"]
        e = math.exp(-dt / self.tau_set)
        d1 = self.v1 - u
        self.v2 = u + (self.v2 - u) * e + d1 * (dt / self.tau_set) * e
        self.v1 = u + d1 * e
        # Slow random walk of the skin: a new target every 10 s.
        if int(now_s / 10) != int((now_s - dt) / 10):
            w = self.walk_next + self.noise[self._k & 1023] * 1e-5
            self._k += 1
            lim = self.p["skin_walk_pct"] / 100
            self.walk_next = min(1 + lim, max(1 - lim, w))
        self.walk += (self.walk_next - self.walk) * min(1.0, dt / 10.0)
        # The sink (20 us: instantaneous at these time steps), capped by compliance.
        target = self.v2 * self.board["set_gain_ppm"] / 1e6 / self.r_sense * 1000.0
        if target < 0:
            target = 0.0
        if self.force_trip:
            self.tripped = True
        on = self.gate > 0 and not self.tripped and self.contact != LIFTED
        if on:
            target += self.sink_extra_ua
        avail = self.rail_mv() - self.board["sink_headroom_mv"]
        if avail < 0:
            avail = 0.0
        i = 0.0
        if on and self.contact == SHORTED:
            cap = avail / (self.p["limit_ptc_ohm"] + self.p["short_ohm"] + self.r_sense) * 1000.0
            i = target if target < cap else cap
            self.v_skin = 0.0
        elif self.contact == IN_WATER:
            skin = self.skin_ohm()
            cap_f = self.p["skin_uf"] * 1e-6 * self.area_fraction()
            rs = self.p["limit_ptc_ohm"] + self.p["series_ohm"] + self.r_sense
            gate = self.gate if on else 0.0
            regulated = False
            if on and target * rs / 1000.0 + self.v_skin <= avail:
                # Regulated: the sink holds the target; the skin charges toward
                # I * R_skin (the average, when pulsed), tau = R_skin * C.
                vs = target * (gate if gate < 1 else 1.0) / 1000.0 * skin
                v_skin = vs + (self.v_skin - vs) * math.exp(-dt / (skin * cap_f))
                # Unless the skin would charge past what the rail can hold
                # within this step (a rising target, or the load): then the
                # step is compliance's, below. (Clamping the skin at that
                # boundary instead held the target for ever at a steady one.)
                regulated = target * rs / 1000.0 + v_skin <= avail
                if regulated:
                    i = target
                    self.v_skin = v_skin
            if on and not regulated:
                # Compliance: the rail, less the sink's headroom, drives the series
                # path (R_limit and the PTC, the water and trays, R_sense) into
                # R_skin || C. Closed form: a stable update at any dt.
                v_inf = avail * skin / (rs + skin)
                tau = cap_f * rs * skin / (rs + skin)
                self.v_skin = v_inf + (self.v_skin - v_inf) * math.exp(-dt / tau)
                i = (avail - self.v_skin) / rs * 1000.0
                if i > target:
                    i = target
            elif not on:
                self.v_skin *= math.exp(-dt / (skin * cap_f))
        else:
            self.v_skin = 0.0
        if i > self.board["hw_cap_ua"]:
            self.tripped = True  # the comparator latch cuts the output itself
            i = 0.0
        self.i_ua = i
        self.i_avg_ua = i * (self.gate if self.gate < 1 else 1.0) + self.leak_ua
        if self.i_ua > self.max_i_ua:
            self.max_i_ua = self.i_ua
        self.charge_uas += self.i_avg_ua * dt
        self.battery_mv -= (self.p["battery_drop_mv_per_mah"] * self.i_avg_ua * dt / 3.6e6
                            + self.battery_sag_mv_per_s * dt)

    def electrode_mv(self):
        # Voltage across the load: I * load when current flows; the rail when
        # the switch is on into an open load; 0 with the switch off.
        if self.gate <= 0 or self.tripped:
            return 0.0
        if self.contact == LIFTED:
            return self.rail_mv()
        if self.contact == SHORTED:
            return self.i_avg_ua * self.p["short_ohm"] / 1000.0
        return self.i_avg_ua * self.p["series_ohm"] / 1000.0 + self.v_skin

    def node_mv(self, ch):
        if ch == "current":
            return self.i_avg_ua * self.r_sense / 1000.0
        if ch == "voltage":
            return self.electrode_mv()
        if ch == "rail":
            return self.rail_mv()
        return self.battery_mv

    # ---- the ADC ----
    def read_u16(self, ch):
        # RP2040 flavour: 12 bits scaled to 16 like read_u16.
        if ch in self.stuck:
            code = self.stuck[ch]
        elif ch in self.frozen and self.frozen[ch] is not None:
            code = self.frozen[ch]
        else:
            b = self.board
            pin_mv = self.node_mv(ch) * b[ch + "_div_ppm"] / 1e6 + self._bias[ch]
            x = pin_mv / b["adc_ref_mv"] * 4096 * self.adc_gain[ch]
            x += self.adc_offset[ch] + self.noise[self._k & 1023] * self._noise_scale
            self._k += 7
            code = int(x + 0.5)
            if code < 0:
                code = 0
            elif code > 4095:
                code = 4095
            for s in SPIKES:
                if -2 <= code - s <= 2:
                    code = s  # the widened codes catch their neighbours
            if ch in self.frozen:
                self.frozen[ch] = code
        return (code << 4) | (code >> 8)

    def read_uv(self, ch):
        # ESP32 flavour: read_uv at 11 dB, linear in about 150-2450 mV.
        if ch in self.stuck:
            return self.stuck[ch]
        if ch in self.frozen and self.frozen[ch] is not None:
            return self.frozen[ch]
        b = self.board
        mv = (self.node_mv(ch) * b[ch + "_div_ppm"] / 1e6 + self._bias[ch]) * self.adc_gain[ch]
        mv += self.adc_offset[ch] + self.noise[self._k & 1023] * self._noise_scale
        self._k += 7
        if mv < 150:  # below the linear range the reading flattens
            mv = 75 + mv / 2 if mv > 0 else 75
        elif mv > 2450:
            mv = 2450 + (mv - 2450) / 2
            if mv > 3100:
                mv = 3100
        uv = int(mv * 1000)
        if ch in self.frozen:
            self.frozen[ch] = uv
        return uv

    # ---- events (scenarios) ----
    def lift(self):
        self.contact = LIFTED

    def immerse_fraction(self, target, seconds=0.0):
        # Partial immersion: the contact area moves linearly from where it is
        # now to `target` (a fraction of the full area, 0 < target <= 1) over
        # `seconds` of model time. A full lift is lift() (an open circuit).
        if not 0.0 < target <= 1.0:
            raise ValueError("area fraction outside (0, 1]: a full lift is lift()")
        if seconds < 0:
            raise ValueError("negative duration")
        self._area_from = self.area_fraction()
        self._area_to = float(target)
        self._area_t0 = self.t
        self._area_t1 = self.t + seconds

    def reimmerse(self):
        self.contact = IN_WATER
        self.immerse_fraction(1.0)  # back in the water: the whole hand
        # Partial contact: handled in skin_ohm() by the time since immersion.
        fall = self.p["skin_fall_s"]
        elapsed_frac = min(1.0, self.t / fall)
        # Keep the skin's slow fall where it was: shift the origin, not restart.
        self.immersed_at = self.t if self.t > 0 else 1e-6
        self.p["skin_start_ohm"] = (self.p["skin_start_ohm"]
                                    + (self.p["skin_end_ohm"] - self.p["skin_start_ohm"])
                                    * elapsed_frac)
        self.p["skin_fall_s"] = fall * (1 - elapsed_frac) if elapsed_frac < 1 else 1.0

    def press(self, seconds=60.0):
        self.press_factor = 0.5
        self.pressed_until = self.t + seconds

    def short(self):
        self.contact = SHORTED
