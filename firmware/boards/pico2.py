# Board description: Raspberry Pi Pico 2 (RP2350A) on the reference circuit:
# the Pico's pins and scales (pico.py documents every field). The Pico 2 keeps
# the Pico's pinout: GP24 VBUS sense, GP25 LED, GP29 ADC3 = VSYS/3 (Pico SDK
# boards/pico2.h: PICO_VBUS_PIN 24, PICO_DEFAULT_LED_PIN 25, PICO_VSYS_PIN 29,
# PICO_RP2350A); ADC on GP26-29, 12 bits (MicroPython's ports/rp2/machine_adc.c
# takes GP26-29 on both chips; boards/RPI_PICO2 is the MicroPython build).
# Deployed .mpy: armv7emsp on its Cortex-M33 cores (MicroPython's
# py/persistentcode.h: Thumb-2 with a single-precision FPU), rv32imc on its
# RISC-V cores (the RPI_PICO2 RISCV variant, MICROPY_EMIT_RV32 in
# ports/rp2/mpconfigport.h); `ionto deploy` reads it from the board's
# sys.implementation._mpy. RP2350 A2 erratum E9 (RP2350 datasheet): a pad with
# its input enabled and left floating can hold itself near 2.2 V against a
# pull-down weaker than 8.2 kOhm. The outputs that can enable current take
# 4.7 kOhm pull-downs on a Pico 2 (docs/wiring.md), not the Pico's 100 kOhm.
from firmware.boards.pico import BOARD as _PICO

BOARD = dict(_PICO)
BOARD["name"] = "pico2"
# The RP2350's rated clock is its default (150 MHz); pico.py's core voltage
# is the RP2040's register, not this chip's.
BOARD["cpu"] = None
