"""Paths in a config file are taken from the file's folder; ~ and $VARIABLES expand
everywhere; the show's feed settings are checked when the config is loaded."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from briefing.config import PATHS, Config, SourceSpec, load_config
from briefing.errors import ConfigError, OutputError
from briefing.publish.archive import check_archive_folder


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "briefing.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_are_taken_from_the_config_files_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # somewhere else than the config
    folder = tmp_path / "etc" / "briefing"
    lines = [f'{key} = "{key}.dat"' for key in PATHS if key != "cover_image"]
    path = write(folder, "[briefing]\n" + "\n".join(lines) + "\n"
                 '[[sources]]\nlocation = "notes/today.txt"\n'
                 '[[sources]]\nlocation = "https://example.org/feed.xml"\n'
                 '[[sources]]\nlocation = "-"\n')
    config = load_config(path, env={})
    for key in PATHS:
        if key != "cover_image":
            assert getattr(config, key) == str(folder / f"{key}.dat"), key
    assert config.sources == (SourceSpec(str(folder / "notes" / "today.txt")),
                              SourceSpec("https://example.org/feed.xml"), SourceSpec("-"))


def test_without_output_dir_the_archive_sits_beside_the_config(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "conf", '[briefing]\ntitle = "x"\n')
    assert load_config(path, env={}).output_dir == str(tmp_path / "conf" / "output")
    assert load_config(env={}).output_dir == "output"  # no file: the current folder's


@pytest.mark.parametrize("value", ["~/x", "$HOME/x", "${HOME}/x"])
def test_home_and_variables_expand_in_the_file_and_the_environment(tmp_path: Path, value: str):
    env = {"HOME": str(tmp_path / "home")}
    path = write(tmp_path / "conf", f'[briefing]\noutput_dir = "{value}"\n')
    assert load_config(path, env=env).output_dir == str(tmp_path / "home" / "x")
    assert load_config(env={**env, "BRIEFING_OUTPUT_DIR": value}).output_dir == str(
        tmp_path / "home" / "x")
    assert load_config(env=env, overrides={"output_dir": value}).output_dir == str(
        tmp_path / "home" / "x")


def test_an_unset_variable_is_named(tmp_path: Path):
    path = write(tmp_path, '[briefing]\noutput_dir = "$NO_SUCH_VAR/x"\n')
    with pytest.raises(ConfigError, match=r"output_dir: \$NO_SUCH_VAR .* is not set"):
        load_config(path, env={})


def test_an_environment_path_is_taken_from_the_current_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(env={"BRIEFING_OUTPUT_DIR": "x"}).output_dir == str(tmp_path / "x")


def _image(path: Path, size: tuple[int, int], kind: str = "PNG") -> Path:
    Image.new("RGB", size, "teal").save(path, format=kind)
    return path


@pytest.mark.parametrize(("setting", "message"), [
    ('public_url = "ftp://example.org/pod/"', "public_url must be an http\\(s\\) URL"),
    ('public_url = "example.org/pod"', "public_url must be an http\\(s\\) URL"),
    ('public_url = "javascript:alert(1)"', "public_url must be an http\\(s\\) URL"),
    ('public_url = "https://example.org/?a=1"', "without \\? or #"),
    ('owner_email = "ada at example.org"', "owner_email must be an email address"),
    ('owner_email = "ada@localhost"', "owner_email must be an email address"),
    ('category = "Newz"', "category 'Newz' is not one of Apple's"),
    ('subcategory = "Tech"', "subcategory 'Tech' is not under News"),
    ('cover_image = "small.png"', "is 1000x1000 px: podcast apps want a square of 1400"),
    ('cover_image = "wide.png"', "is 1600x1400 px"),
    ('cover_image = "huge.png"', "is 3200x3200 px"),
    ('cover_image = "cover.gif"', "is GIF: podcast apps take PNG or JPEG"),
    ('cover_image = "notes.txt"', "is not a PNG or JPEG image"),
    ('cover_image = "missing.png"', "does not exist"),
])
def test_feed_settings_podcast_apps_would_refuse(tmp_path: Path, setting: str, message: str):
    _image(tmp_path / "small.png", (1000, 1000))
    _image(tmp_path / "wide.png", (1600, 1400))
    _image(tmp_path / "huge.png", (3200, 3200))
    _image(tmp_path / "cover.gif", (1400, 1400), "GIF")
    (tmp_path / "notes.txt").write_text("not an image")
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, f"[briefing]\n{setting}\n"), env={})


def test_good_feed_settings_load(tmp_path: Path):
    _image(tmp_path / "art.jpg", (1400, 1400), "JPEG")
    config = load_config(write(tmp_path, '[briefing]\npublic_url = "https://x.example/pod"\n'
                               'owner_email = "ada@example.org"\ncover_image = "art.jpg"\n'
                               'explicit = true\ncategory = "Technology"\nsubcategory = ""\n'),
                         env={})
    assert config.public_url == "https://x.example/pod/"  # a folder: links join onto it
    assert config.cover_image == str(tmp_path / "art.jpg")
    assert (config.explicit, config.category, config.subcategory) == (True, "Technology", "")


def test_the_old_feed_base_url_key(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    # the old starter config's value meant nothing: ignored, so `serve` can do better
    old = write(tmp_path / "a", '[briefing]\nfeed_base_url = "http://localhost:8000/"\n')
    assert load_config(old, env={}).public_url == ""
    with caplog.at_level(logging.WARNING, logger="briefing"):
        moved = write(tmp_path / "b", '[briefing]\nfeed_base_url = "https://n.example/b/"\n')
        assert load_config(moved, env={}).public_url == "https://n.example/b/"
    assert "public_url" in caplog.text


@pytest.mark.parametrize("holds", ["notes.txt", "photos", "2026-01-02.txt"])
def test_a_folder_holding_other_things_is_not_an_archive(tmp_path: Path, holds: str):
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("feed.xml", "index.html", "cover.png", "README.md", ".briefing-part-x"):
        (folder / name).write_text("x")
    (folder / "2026-01-01").mkdir()
    (folder / "brief.mp3").write_bytes(b"x")  # `make -o out/brief.mp3` and its sidecars
    (folder / "brief.json").write_text("{}")
    (folder / "brief.chapters.json").write_text("{}")
    check_archive_folder(folder)
    check_archive_folder(tmp_path / "new")
    (folder / holds).mkdir() if "." not in holds else (folder / holds).write_text("x")
    with pytest.raises(OutputError, match=f"already holds '{holds}', which briefing did not make"):
        check_archive_folder(folder)


def _cli(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFING_HOME": str(home), "HOME": str(home)}
    env.pop("BRIEFING_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "briefing", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("setting", "message"), [
    ('public_url = "ftp://x/"', "public_url must be an http(s) URL"),
    ('owner_email = "nobody"', "owner_email must be an email address"),
    ('cover_image = "art.png"', "podcast apps want a square"),
    ('output_dir = "/"', "output_dir / already holds"),
    ('output_dir = "~"', "which briefing did not make"),
])
def test_bad_settings_stop_every_command_with_one_line(tmp_path: Path, setting: str,
                                                       message: str):
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    _image(tmp_path / "art.png", (1400, 1000))
    (tmp_path / "story.txt").write_text(
        "Harbour Plan Approved\n\nHarbour officials approved a plan on Monday to rebuild the "
        "old pier. The work will cost about four million dollars and take two years. "
        "Fishermen said the new pier would let larger boats land their catch.\n")
    config = write(tmp_path, f'[briefing]\n{setting}\nminutes = 0.3\n'
                   f'[[sources]]\nlocation = "story.txt"\n')
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for args in (["daily", "-c", str(config)], ["make", "story.txt", "-c", str(config)],
                 ["serve", "-c", str(config), "--port", "0"]):
        proc = _cli(args, cwd=tmp_path, home=home)
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: "), proc.stderr
        assert message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")
                   if "home" not in p.relative_to(tmp_path).parts[:1])
    assert after == [p for p in before if "home" not in p.parts[:1]]  # nothing written


def test_doctor_prints_the_archive_and_the_feed_url(tmp_path: Path):
    home = tmp_path / "home"
    config = write(tmp_path / "conf", '[briefing]\noutput_dir = "../archive"\n'
                   'public_url = "https://pod.example/me"\n')
    proc = _cli(["doctor", "--config", str(config)], cwd=Path("/"), home=home)
    assert f"ok  archive folder: {tmp_path / 'archive'} (not made yet" in proc.stdout
    assert "ok  feed URL: https://pod.example/me/feed.xml\n" in proc.stdout
    assert Config().output_dir == "output"


@pytest.mark.e2e
def test_the_timer_daily_and_serve_use_one_archive(tmp_path: Path, monkeypatch):
    """The unit install-timer writes runs `daily` in its own folder; `serve` started from
    anywhere else serves what that run made."""
    import re
    import shutil
    import threading
    import urllib.request

    root = Path(__file__).resolve().parents[1]
    briefing = shutil.which("briefing", path=str(Path(sys.executable).parent))
    assert briefing
    conf = tmp_path / "conf"
    write(conf, '[briefing]\noutput_dir = "archive"\nminutes = 0.3\n'
          '[[sources]]\nlocation = "story.txt"\nmax_stories = 1\n')
    (conf / "story.txt").write_text(
        "Harbour Plan Approved\n\nHarbour officials approved a plan on Monday to rebuild the "
        "old pier. The work will cost about four million dollars and take two years.\n")
    units = subprocess.run(["bash", str(root / "scripts" / "install-timer.sh"), "--dry-run",
                            "--config", "conf/briefing.toml", "--briefing", briefing],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    command = re.search(r"^ExecStart=(.*)$", units, re.M).group(1).split()
    workdir = re.search(r"^WorkingDirectory=(.*)$", units, re.M).group(1)
    assert command[command.index("--config") + 1] == str(conf / "briefing.toml")
    home = tmp_path / "home"
    proc = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BRIEFING_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    made = Path(proc.stdout.strip())
    assert made.parent.parent == conf / "archive"

    from briefing.config import load_config
    from briefing.serve import make_server

    monkeypatch.chdir(tmp_path / "home")  # anywhere else than the unit's folder
    config = load_config(conf / "briefing.toml", env={})
    server = make_server(Path(config.output_dir), "127.0.0.1", 0, config=config)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        with urllib.request.urlopen(url, timeout=10) as response:
            feed = response.read().decode()
        relative = made.relative_to(conf / "archive").as_posix()
        assert f'url="http://127.0.0.1:{server.server_address[1]}/{relative}"' in feed
    finally:
        server.shutdown()
        server.server_close()
