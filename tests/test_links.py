"""scripts/links.py (make links): Binder and nbgitpuller links from a git remote.

Each remote lives in a temporary git repository: nothing touches the network.
The expected links are written out by hand from the Binder and nbgitpuller URL
schemes: https://mybinder.org/v2/gh/<owner>/<name>/<branch>?urlpath=<path>, and
<hub>/hub/user-redirect/git-pull?repo=<url>&branch=<branch>&urlpath=<path>, every
query value percent-encoded (":" is %3A, "/" is %2F).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.links import LinkError, parse_remote

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "links.py"
HUB = "https://hub.example.edu"

BINDER_MAIN = (
    "https://mybinder.org/v2/gh/ada/gd-course/main"
    "?urlpath=lab%2Ftree%2Fnotebooks%2F00_start_here.ipynb"
)
PULLER_MAIN = (
    "https://hub.example.edu/hub/user-redirect/git-pull"
    "?repo=https%3A%2F%2Fgithub.com%2Fada%2Fgd-course"
    "&branch=main"
    "&urlpath=lab%2Ftree%2Fgd-course%2Fnotebooks%2F00_start_here.ipynb"
)


def _git_env() -> dict[str, str]:
    """The caller's environment without GIT_DIR and friends (a git hook sets them)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _repo(path: Path, origin: str | None = None, origin_head: str | None = None):
    """A fresh git repository, with an origin remote and origin/HEAD if given."""
    path.mkdir(parents=True, exist_ok=True)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, env=_git_env(), check=True)

    git("init", "--quiet")
    if origin:
        git("remote", "add", "origin", origin)
    if origin_head:  # what `git clone` records as the remote's default branch
        git(
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            f"refs/remotes/origin/{origin_head}",
        )
    return path


def links(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, SCRIPT, *args],
        cwd=cwd,
        env=_git_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def _printed_links(stdout: str) -> dict[str, str]:
    """{'binder': ..., 'badge': ..., 'puller': ...} of the lines that are links."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("https://mybinder.org/"):
            found["binder"] = line
        elif line.startswith("[![Binder]"):
            found["badge"] = line
        elif "/hub/user-redirect/git-pull?" in line:
            found["puller"] = line
    return found


@pytest.mark.parametrize(
    "origin",
    [
        "https://github.com/ada/gd-course.git",
        "https://github.com/ada/gd-course",
        "https://github.com/ada/gd-course/",
        "git@github.com:ada/gd-course.git",
        "git@github.com:ada/gd-course",
        "ssh://git@github.com/ada/gd-course.git",
        "https://x-access-token:secret@github.com/ada/gd-course.git",
    ],
)
def test_every_form_of_a_github_origin_gives_the_same_links(tmp_path, origin):
    result = links(_repo(tmp_path / "clone", origin), "--hub", HUB)
    assert result.returncode == 0, result.stderr
    assert _printed_links(result.stdout) == {
        "binder": BINDER_MAIN,
        "badge": f"[![Binder](https://mybinder.org/badge_logo.svg)]({BINDER_MAIN})",
        "puller": PULLER_MAIN,
    }
    assert "secret" not in result.stdout  # credentials never reach a link


def test_without_hub_only_the_binder_links_are_printed(tmp_path):
    result = links(_repo(tmp_path / "clone", "git@github.com:ada/gd-course.git"))
    assert result.returncode == 0, result.stderr
    assert set(_printed_links(result.stdout)) == {"binder", "badge"}
    assert "HUB=" in result.stdout  # says how to get the nbgitpuller link


def test_the_branch_comes_from_origin_head(tmp_path):
    clone = _repo(tmp_path / "clone", "https://github.com/ada/gd-course", "trunk")
    printed = _printed_links(links(clone, "--hub", HUB).stdout)
    assert printed["binder"] == BINDER_MAIN.replace("/main?", "/trunk?")
    assert printed["puller"] == PULLER_MAIN.replace("branch=main", "branch=trunk")


def test_a_branch_given_on_the_command_line_wins_and_is_encoded(tmp_path):
    clone = _repo(tmp_path / "clone", "https://github.com/ada/gd-course", "main")
    result = links(clone, "--branch", "term/2026+b", "--hub", f"{HUB}/")
    printed = _printed_links(result.stdout)
    # "/" may stay in Binder's ref (BinderHub splits owner/name/ref at the first
    # two slashes only); "+" would mean a space in a query, so it is %2B there.
    assert printed["binder"] == BINDER_MAIN.replace("/main?", "/term/2026%2Bb?")
    assert printed["puller"] == PULLER_MAIN.replace(
        "branch=main", "branch=term%2F2026%2Bb"
    )
    query = parse_qs(urlsplit(printed["puller"]).query, strict_parsing=True)
    assert query == {
        "repo": ["https://github.com/ada/gd-course"],
        "branch": ["term/2026+b"],
        "urlpath": ["lab/tree/gd-course/notebooks/00_start_here.ipynb"],
    }


def test_a_url_given_on_the_command_line_needs_no_git_repository(tmp_path):
    result = links(tmp_path, "--url", "https://github.com/ada/gd-course.git")
    assert result.returncode == 0, result.stderr
    assert _printed_links(result.stdout)["binder"] == BINDER_MAIN


@pytest.mark.parametrize("with_git", [True, False], ids=["no-origin", "no-repo"])
def test_no_remote_and_no_url_is_a_clear_error(tmp_path, with_git):
    folder = _repo(tmp_path / "clone") if with_git else tmp_path
    result = links(folder, "--hub", HUB)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no URL given and this clone has no 'origin' remote" in result.stderr
    assert "make links URL=https://github.com/owner/name" in result.stderr


def test_another_host_gets_an_nbgitpuller_link_and_no_binder_link(tmp_path):
    clone = _repo(tmp_path / "clone", "git@gitlab.com:group/sub/course.git")
    result = links(clone, "--hub", HUB)
    assert result.returncode == 0, result.stderr
    assert "Binder: no link printed" in result.stdout
    assert "mybinder.org/v2" not in result.stdout
    # nbgitpuller clones into the last part of the URL, .git included.
    query = parse_qs(urlsplit(_printed_links(result.stdout)["puller"]).query)
    assert query == {
        "repo": ["https://gitlab.com/group/sub/course.git"],
        "branch": ["main"],
        "urlpath": ["lab/tree/course.git/notebooks/00_start_here.ipynb"],
    }


def test_make_links_passes_url_branch_and_hub():
    variables = ["URL=git@github.com:ada/gd-course.git", "BRANCH=main", f"HUB={HUB}"]
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "links", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _printed_links(result.stdout)["puller"] == PULLER_MAIN


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///srv/git/course.git", "url must be an https, ssh or git URL"),
        ("/srv/git/course.git", "url must look like https://github.com/owner/name"),
        ("https://github.com/ada", "url must name a GitHub repository as owner/name"),
        ("https://github.com/ada/gd/tree/main", "as owner/name"),
    ],
)
def test_a_remote_students_cannot_clone_is_rejected(url, message):
    with pytest.raises(LinkError, match=message):
        parse_remote(url)


def test_a_bad_hub_is_a_clear_error(tmp_path):
    result = links(tmp_path, "--url", "https://github.com/ada/gd", "--hub", "hub.edu")
    assert result.returncode == 2
    assert "hub must be a URL such as https://hub.example.edu, got 'hub.edu'" in (
        result.stderr
    )


# --- README: no link to a placeholder ---------------------------------------------

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"OWNER|REPO|USERNAME|example\.(?:com|edu|org)|<[^>]*>")


def test_readme_links_lead_somewhere():
    """Relative links name files of the repository; absolute ones no placeholder
    (the Binder badge used to point at github.com/OWNER/REPO)."""
    targets = MARKDOWN_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert targets  # the course table links every notebook
    broken = [
        target
        for target in targets
        if (
            PLACEHOLDER.search(target)
            if "://" in target
            else not (ROOT / target).exists()
        )
    ]
    assert broken == []


def test_the_placeholder_check_sees_the_old_badge():
    old = (
        "[![Binder](https://mybinder.org/badge_logo.svg)]"
        "(https://mybinder.org/v2/gh/OWNER/REPO/main)"
    )
    targets = MARKDOWN_LINK.findall(old)
    assert targets == [
        "https://mybinder.org/badge_logo.svg",
        "https://mybinder.org/v2/gh/OWNER/REPO/main",
    ]
    assert [bool(PLACEHOLDER.search(t)) for t in targets] == [False, True]
