"""A terminal driver that turns off the terminal's own bidi reordering while the app runs.

Terminals implementing the terminal-wg BiDi proposal reorder right-to-left text
themselves ("implicit mode"). With `--bidi app` we draw in visual order already, so we
switch them to explicit mode with `CSI 8 l` at start and back with `CSI 8 h` at exit.
Terminals without the proposal ignore both sequences.
"""

from __future__ import annotations

from textual.drivers.linux_driver import LinuxDriver

BIDI_EXPLICIT = "\x1b[8l"  # BDSM reset: the application does the bidi layout
BIDI_IMPLICIT = "\x1b[8h"  # BDSM set: the terminal's default, implicit reordering


class BidiAppDriver(LinuxDriver):
    def start_application_mode(self) -> None:
        super().start_application_mode()
        self.write(BIDI_EXPLICIT)
        self.flush()

    def stop_application_mode(self) -> None:
        self.write(BIDI_IMPLICIT)
        self.flush()
        super().stop_application_mode()
