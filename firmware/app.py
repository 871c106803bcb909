# The application: wires hal, supervisor, regulator, session and LED, and
# runs the fixed-rate control loop. One tick: read -> check -> decide ->
# regulate -> drive -> status -> feed the watchdog. The tick allocates
# nothing (a test measures it in the unix port with gc.mem_alloc).
import time

import firmware
from firmware import button, limits, states, ui
from firmware import status as st
from firmware.regulator import Regulator
from firmware.session import (
    CHECK_SETTLE_MS,
    END_BATTERY,
    END_USB,
    POLARITY_ALTERNATE,
    REFUSE_BATTERY,
    REFUSE_LEAK,
    REFUSE_NONE,
    REFUSE_RAIL,
    REFUSE_UNCALIBRATED,
    REFUSE_USB,
    Session,
)
from firmware.supervisor import CUT, STOP, STOP_BATTERY, Supervisor
from firmware.trace import Trace

_SLOW_EVERY = 8  # rail and battery are read on alternate slow ticks


class App:
    def __init__(self, hal, board, calibrated):
        self.hal = hal
        self.board = board
        self.calibrated = calibrated
        self.tick_us = board["tick_us"]
        self.sense_ohm = board["current_sense_ohm"]
        self.sup = Supervisor(hal, board)
        self.reg = Regulator(self.tick_us, board["sink_headroom_mv"])
        self.ses = Session(self.reg, hal.relay, self.tick_us)
        self.btn = button.Button()
        self.status = st.status
        self.rail_mv = board["rail_mv"]  # until the first reading
        self.battery_mv = hal.read_battery_mv()
        self.n = 0  # completed ticks
        self.ms = 0  # loop time in ms (for the LED)
        self._us = 0
        self.overruns = 0
        self._led_on = False
        self.profile = 0
        self.journal_dir = ""  # the flash root; tests write elsewhere
        # SR-11 "alternate": the relay position the last session started with
        # (from the journal at startup, then from each session).
        self.last_start_reversed = False
        self._start_armed = False  # a hold that began at rest: its release starts
        self.trace = Trace()  # preallocated: the session's per-second samples
        self.session_id = 1  # the next session's journal id (from the journal at startup)

    def refusal(self, i_ua):
        # Pre-session checks, each with its own refusal code (SR-9, SR-16, SR-17,
        # SR-19), run on every tick of the CHECKS window with the output off.
        # The trip input needs none: the supervisor latches it in every state.
        if not self.calibrated:
            return REFUSE_UNCALIBRATED
        if self.hal.usb_present() and not self.board["usb_treatment"]:
            return REFUSE_USB
        if i_ua > limits.OFF_LEAK_UA:
            return REFUSE_LEAK  # the zero reading (SR-9)
        if not self.sup.battery_ok_to_start(self.battery_mv):
            return REFUSE_BATTERY
        rail = self.rail_mv
        if rail * 100 < self.board["rail_mv"] * limits.RAIL_START_MIN_PCT:
            return REFUSE_RAIL
        if rail > limits.RAIL_START_MAX_MV:
            return REFUSE_RAIL
        return REFUSE_NONE

    def start_reversed(self):
        # SR-11 "alternate": each session starts opposite to the last one.
        return self.ses.polarity == POLARITY_ALTERNATE and not self.last_start_reversed

    def tick(self):
        hal = self.hal
        sup = self.sup
        ses = self.ses
        n = self.n
        i_avg = hal.read_current_ua()
        # Pulsed DC: the sense RC makes the ADC read the average; the sink holds
        # the peak, which is what the set point and every check are about. With
        # the gate stopped the average is the current itself (SR-12 leak check).
        v_mv = hal.read_voltage_mv()
        pct = hal.pulse_duty_pct
        if pct != 100 and hal.output_is_on:
            # Both channels' RCs show the average of the gated pulse: scale both
            # to the peak, so the load (V / I), the short check (SR-13) and the
            # rail check see the pulse as it is.
            i_ua = i_avg * 100 // pct
            v_mv = v_mv * 100 // pct
        else:
            i_ua = i_avg
        if n % _SLOW_EVERY == 0:
            if n & _SLOW_EVERY:
                self.rail_mv = hal.read_rail_mv()
            else:
                self.battery_mv = hal.read_battery_mv()
        action = sup.check(i_ua, v_mv, self.reg.target_ua(), self.rail_mv, self.battery_mv)
        if action == CUT:
            ses.surge_cut()
        elif action == STOP and ses.state != states.RAMP_DOWN and ses.in_session():
            ses.stop(END_BATTERY if sup.stop_reason == STOP_BATTERY else END_USB)
        ev = self.btn.update(hal.button_pressed(), self.tick_us)
        s = ses.state
        if ev == button.HOLD:
            if s == states.IDLE or s == states.DONE:
                # SR-20: the start waits for the release (a stuck button never
                # releases); remember that this press began at rest.
                self._start_armed = True
            elif s == states.FAULT:
                sup.acknowledge()  # SR-15: output off, trip latch reset
                ev = button.NONE
        elif ev == button.LONG or ev == button.STUCK:
            if ev == button.LONG and self._start_armed and (s == states.IDLE
                                                             or s == states.DONE):
                sup.new_session()
                ses.begin(self.start_reversed())  # the CHECKS state, output off
                self.trace.start()
            self._start_armed = False
            ev = button.NONE
        verdict = REFUSE_NONE
        if ses.state == states.CHECKS and ses.phase_ms >= CHECK_SETTLE_MS:
            verdict = self.refusal(i_ua)
        ses.i_avg_ua = i_avg
        ses.step(ev, i_ua, sup.fault, verdict)
        sink_mv = self.rail_mv - v_mv - i_ua * self.sense_ohm // 1000
        cmd = self.reg.step(i_ua, sink_mv)
        sup.drive(ses.state, ses.output_wanted(), cmd)
        load = v_mv * 1000 // i_ua if i_ua >= 100 else 0
        if ses.in_session():
            self.trace.add(i_ua, v_mv, ses.state, self.tick_us)
        if ses.state == states.TREAT:
            ses.note_treating(i_ua, load)
        elif ses.unjournaled and not hal.output_is_on:
            self._journal()  # SR-18: only once the output is off
        self._us += self.tick_us
        if self._us >= 1000:
            ms = self._us // 1000
            self._us -= ms * 1000
            self.ms += ms
            # Held 2 s at rest: steady on says "release to start".
            led = self._start_armed or ui.led_level(ses.state, sup.fault, self.ms, ses.refusal)
            if led != self._led_on:
                self._led_on = led
                hal.led(led)
        s = self.status
        s[st.STATE] = ses.state
        s[st.TARGET_UA] = self.reg.target_ua()
        s[st.SET_UA] = ses.set_ua
        s[st.I_UA] = i_ua
        s[st.V_MV] = v_mv
        s[st.LOAD_OHM] = load
        s[st.REACHED_PCT] = self.reg.reached_pct(i_ua)
        s[st.FAULT] = sup.fault
        s[st.ELAPSED_S] = ses.on_ms // 1000
        s[st.TICKS] = n
        s[st.OVERRUNS] = self.overruns
        s[st.DUTY] = hal.duty
        s[st.ENABLED] = 1 if hal.output_is_on else 0
        s[st.RAIL_MV] = self.rail_mv
        s[st.BATTERY_MV] = self.battery_mv
        s[st.I_AVG_UA] = i_avg
        s[st.CHARGE_MAS] = ses.charge_mas
        s[st.REFUSAL] = ses.refusal
        self.n = n + 1
        sup.end_tick()  # feeds the watchdog: only after a tick whose checks ran

    def _journal(self):
        # Once per session, after it ended, output off (SR-18). Allocates and
        # writes the flash: the loop overruns a few ticks, with no current.
        ses = self.ses
        ses.unjournaled = False
        self.last_start_reversed = ses.start_reversed
        try:
            from firmware import journal

            sid = self.session_id
            self.session_id = sid + 1
            journal.append(journal.record(ses, self.profile, self.sup.fault, sid),
                           self.journal_dir)
            journal.save_trace(self.trace, sid, self.journal_dir)
        except OSError as e:
            print("journal not written:", e)
        firmware.release("journal")
        firmware.release("names")

    def run(self, ticks=0):
        # The fixed-rate loop. ticks=0: forever. Deadlines advance by exactly one
        # period (no drift); a late tick counts as an overrun, and after a long
        # stall the schedule restarts from now rather than bursting to catch up.
        self.sup.start_watchdog()  # SR-3: before the output can first be enabled
        ticks_us = time.ticks_us
        ticks_add = time.ticks_add
        ticks_diff = time.ticks_diff
        sleep_us = time.sleep_us
        period = self.tick_us
        deadline = ticks_add(ticks_us(), period)
        count = 0
        while ticks == 0 or count < ticks:
            self.tick()
            count += 1
            late = ticks_diff(ticks_us(), deadline)
            if late > 0:
                self.overruns += 1
                if late > period:
                    deadline = ticks_us()
            else:
                sleep_us(-late)
            deadline = ticks_add(deadline, period)
