"""FAULTS.md 52: a bots.toml that still holds a token stops start-up at once with a clear
message that names the key and never shows the secret (tokens come from the environment)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main

SECRETS = {
    "telegram": ("token", "123456:AAHoldTokenOldTokenOldToken_00000"),
    "discord": ("token", "MTIzNDU2Nzg5.old-token.signature"),
    "mastodon": ("access_token", "oldMastodonAccessToken0000"),
}


@pytest.mark.parametrize("network", sorted(SECRETS))
def test_a_token_left_in_bots_toml_stops_start_up_without_showing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], network: str
) -> None:
    key, secret = SECRETS[network]
    path = tmp_path / "bots.toml"
    lines = ["[gather]", 'time_zone = "UTC"', f"[{network}]", f'{key} = "{secret}"']
    if network == "mastodon":
        lines.append('api_base_url = "https://mastodon.example"')
    path.write_text("\n".join(lines) + "\n")
    assert main(["--config", str(path), "check"]) == 2
    out = capsys.readouterr()
    assert f"[{network}] unknown setting '{key}'" in out.err
    assert secret not in out.err + out.out
