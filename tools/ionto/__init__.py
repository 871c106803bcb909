"""ionto host tools: simulate, and (as they land) deploy, calibrate, monitor, logs."""
