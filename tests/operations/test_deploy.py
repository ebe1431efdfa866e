"""The systemd unit in deploy/ is valid to systemd itself (where systemd-analyze exists)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "gather.service"
# Restart backoff keys of systemd 254+; older versions ignore them (the unit says so).
NEWER_KEYS = ("RestartSteps", "RestartMaxDelaySec")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_service_unit_verifies(tmp_path: Path) -> None:
    # The unit names /opt/gather's executable; point it at this checkout's to verify the rest.
    gather = Path(sys.executable).parent / "gather"
    unit = tmp_path / "gather.service"
    unit.write_text(UNIT.read_text().replace("/opt/gather/.venv/bin/gather", str(gather)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not any(f"Unknown key '{key}'" in line for key in NEWER_KEYS)
    ]
    assert result.returncode == 0 and complaints == []


def test_the_unit_restarts_always_stops_cleanly_and_runs_unprivileged() -> None:
    settings = dict(
        line.split("=", 1)
        for line in UNIT.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert settings["Restart"] == "always" and settings["RestartSec"]
    assert settings["KillSignal"] == "SIGTERM" and settings["TimeoutStopSec"] == "90s"
    assert settings["User"] == "gather" and settings["NoNewPrivileges"] == "yes"
    assert settings["ProtectSystem"] == "strict" and settings["CapabilityBoundingSet"] == ""
    env = (ROOT / "deploy" / "gather.env.example").read_text()
    assert "TELEGRAM_BOT_TOKEN=" in env and "DISCORD_BOT_TOKEN=" in env
