"""Login timings: every way a login can fail must take the time a wrong password takes, so
that the answer's speed does not tell who exists, who is disabled or which address waits.
Times the function the login form calls (`sessions.log_in`), 15 times per case, and
prints each median against the wrong-password median."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path


def run() -> int:
    import config
    import runtime as runtime_module
    from common.actor import SYSTEM
    from core.services import sessions, users
    from core.services.sessions import LoginFailed
    from runtime import init_runtime

    print("Twara login timing benchmark (2 cores)\n")
    os.environ["TWARA_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="twara-login-")))
    os.environ.pop("DATABASE_URL", None)
    config.get_config.cache_clear()
    runtime_module.reset_runtime()
    rt = init_runtime(start_worker=False)
    users.create_first_admin(rt.uow(), "admin", "Alice Uwase", "Kigali-Heights-7")
    clerk = users.create_user(
        rt.uow(SYSTEM), SYSTEM, users.UserInput("clerk", "Jean Habimana", "accountant"), "Nyabugogo-Road-88"
    )
    users.set_user_active(rt.uow(SYSTEM), SYSTEM, clerk, False)
    for _ in range(5):  # this address now waits for the administrator's account
        try:
            sessions.authenticate(rt.uow(), "admin", "wrong", source="203.0.113.9")
        except LoginFailed:
            pass
    cases = {
        "wrong password": ("admin", "wrong-guess", "10.0.0.2"),
        "unknown user": ("nobody", "wrong-guess", "10.0.0.3"),
        "disabled account, right password": ("clerk", "Nyabugogo-Road-88", "10.0.0.4"),
        "waiting address, right password": ("admin", "Kigali-Heights-7", "203.0.113.9"),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(15):  # the cases take turns, so a busy moment of the machine hits them alike
        for name, (user, password, source) in cases.items():
            t0 = time.perf_counter()
            try:
                sessions.log_in(rt.uow(), user, password, source=source)
            except LoginFailed:
                pass
            times[name].append(time.perf_counter() - t0)
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["wrong password"]
    for name, median in medians.items():
        print(f"  {name:36s} {median * 1000:7.1f} ms   ratio to a wrong password {median / base:5.2f}")
    spread = max(medians.values()) / min(medians.values())
    print(f"\n  widest ratio {spread:.2f} (target <= 1.15: {'OK' if spread <= 1.15 else 'UNEVEN'})")
    runtime_module.reset_runtime()
    return 0 if spread <= 1.15 else 1
