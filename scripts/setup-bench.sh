#!/usr/bin/env bash
# Installs the Debian packages the whole-program benchmark (bench/run) needs, only those missing
# (through scripts/setup.sh, idempotent; run as root): the peers (SQLite FTS5 through python3's
# sqlite3 and the sqlite3 shell, Sphinx from sphinxsearch, Xapian's scriptindex from
# xapian-omega), a MySQL-protocol client for Sphinx's SphinxQL (python3-pymysql), /usr/bin/time
# for peak memory, and gnuplot for the growth plot.
set -euo pipefail
bash "$(dirname "$0")/setup.sh" sphinxsearch xapian-omega gnuplot-nox sqlite3 python3-pymysql time
# The Debian package may start searchd as a service; bench/run starts its own on another port.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet sphinxsearch 2>/dev/null; then
  systemctl stop sphinxsearch || true
fi
