# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for xdg-desktop-portal's Background portal on the private session bus of a
test: owns org.freedesktop.portal.Desktop, answers RequestBackground the way the real one
does (the Request path from the caller's name and handle_token, then Request::Response
sent to the caller only), logs each request as a JSON line, and runs the program given
after it once the name is owned; exits with that program's status.

    FERRY_TEST_PORTAL_ANSWER  a file holding the next answer: allow, deny or cancel
    FERRY_TEST_PORTAL_LOG     where the requests are logged

Usage: fake_background_portal.py PROGRAM [ARG...]
"""
import json
import os
import subprocess
import sys

import dbus
import dbus.lowlevel
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJECT = "/org/freedesktop/portal/desktop"
# answer → (response, background): 0 success, 1 the user cancelled the question
ANSWERS = {"allow": (0, True), "deny": (0, False), "cancel": (1, False)}


class Background(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, OBJECT)
        self.bus = bus

    @dbus.service.method("org.freedesktop.portal.Background", in_signature="sa{sv}",
                         out_signature="o", sender_keyword="sender")
    def RequestBackground(self, parent_window, options, sender):
        token = str(options.get("handle_token", "t"))
        path = f"{OBJECT}/request/{sender[1:].replace('.', '_')}/{token}"
        with open(os.environ["FERRY_TEST_PORTAL_ANSWER"]) as f:
            answer = f.read().strip()
        with open(os.environ["FERRY_TEST_PORTAL_LOG"], "a") as f:
            f.write(json.dumps({"parent_window": str(parent_window),
                                "reason": str(options.get("reason", "")),
                                "autostart": bool(options.get("autostart", False)),
                                "handle_token": token, "answer": answer}) + "\n")
        # The real portal replies first and answers later (after its dialog).
        GLib.idle_add(self.respond, sender, path, answer)
        return dbus.ObjectPath(path)

    def respond(self, sender, path, answer):
        response, background = ANSWERS[answer]
        message = dbus.lowlevel.SignalMessage(path, "org.freedesktop.portal.Request",
                                              "Response")
        message.set_destination(sender)
        message.append(dbus.UInt32(response),
                       dbus.Dictionary({"background": dbus.Boolean(background),
                                        "autostart": dbus.Boolean(False)}, signature="sv"),
                       signature="ua{sv}")
        self.bus.send_message(message)
        return GLib.SOURCE_REMOVE


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(BUS_NAME, bus, do_not_queue=True)
    portal = Background(bus)
    loop = GLib.MainLoop()
    program = subprocess.Popen(sys.argv[1:])

    def check():
        if program.poll() is None:
            return GLib.SOURCE_CONTINUE
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.timeout_add(100, check)
    loop.run()
    del portal, name
    status = program.returncode
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == "__main__":
    main()
