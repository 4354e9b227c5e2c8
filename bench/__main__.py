"""Benchmarks: `python -m bench foundation`. Each prints figures and ratios in one run."""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suite", choices=["foundation", "fleet", "warehouse", "crm", "login", "transport"])
    parser.add_argument("--rows", type=int, default=100_000, help="employees in the large catalog")
    args = parser.parse_args()
    if args.suite == "foundation":
        from bench.foundation import run

        return run(rows=args.rows)
    if args.suite == "fleet":
        from bench.fleet import run as run_fleet

        return run_fleet()
    if args.suite == "warehouse":
        from bench.warehouse import run as run_warehouse

        return run_warehouse()
    if args.suite == "login":
        from bench.login import run as run_login

        return run_login()
    if args.suite == "transport":
        from bench.transport import run as run_transport

        return run_transport()
    if args.suite == "crm":
        from bench.crm import run as run_crm

        return run_crm()
    return 2


if __name__ == "__main__":
    sys.exit(main())
