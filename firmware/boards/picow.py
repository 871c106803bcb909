# Board description: Raspberry Pi Pico W (RP2040 + CYW43439 radio) on the
# reference circuit: the Pico's pins and scales (pico.py documents every field)
# except what the radio owns. On the W, GP23 (radio power), GP24 (its SPI data),
# GP25 (its SPI select) and GP29 (its SPI clock, shared with ADC3 = VSYS/3) are
# the radio's (Pico SDK boards/pico_w.h and pico2_w.h: CYW43_DEFAULT_PIN_WL_*,
# CYW43_USES_VSYS_PIN), and MicroPython's RPI_PICO_W pins.csv names none of
# them. The LED and VBUS sense sit on the radio chip: "LED"/"WL_GPIO0" and
# "WL_GPIO2" (pico_w.h: CYW43_WL_GPIO_LED_PIN 0, CYW43_WL_GPIO_VBUS_PIN 2).
from firmware.boards.pico import BOARD as _PICO

BOARD = dict(_PICO)
BOARD["name"] = "picow"
# The radio's bus runs from the system clock (a PIO program): kept at the
# port's default, with which it was made to work, not tried at 200 MHz.
BOARD["cpu"] = None
# The radio's GPIOs: board_check refuses any pin field on one of them.
BOARD["radio_pins"] = (23, 24, 25, 29)
# An LED + 330 Ohm to GND on GP22, not the on-board LED: each write to that one
# is a bus transfer to the radio chip (machine_pin_cyw43.c: cyw43_gpio_set).
BOARD["pin_led"] = 22
# SR-17: VBUS present, read from the radio chip's WL_GPIO2 (pins.csv
# "WL_GPIO2,EXT_GPIO2"; the SDK's power_status example reads
# CYW43_WL_GPIO_VBUS_PIN the same way). Each read is a bus transfer, and the
# first one starts the radio chip (cyw43_ctrl.c: cyw43_gpio_get calls
# cyw43_ensure_up); hal_setup reads it once at startup, before the watchdog.
BOARD["pin_usb_sense"] = "WL_GPIO2"
# SR-16: no battery reading. VSYS/3 on GP29 needs the radio kept off its SPI
# clock pin meanwhile (pico_w.h: cyw43_thread_enter/exit around the read), which
# MicroPython's machine.ADC does not do (micropython issue #10406, open: wrong
# readings on a W), and taking GP29 would cut the bus that the USB sense above
# is read over. GP26-28 carry current, voltage and rail.
# None with battery_min_mv 0: no low-battery stop (docs/wiring.md, open points).
BOARD["pin_adc_battery"] = None
BOARD["battery_min_mv"] = 0
