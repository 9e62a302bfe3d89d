"""Print the links that open the course: Binder, its badge, and nbgitpuller.

    python3 scripts/links.py [--url URL] [--branch BRANCH] [--hub HUB]
    make links [URL=...] [BRANCH=...] [HUB=https://hub.example.edu]

The repository is ``--url`` or, without it, this clone's ``origin`` remote, in any
of git's forms (``https://github.com/owner/name.git``,
``git@github.com:owner/name.git``, ``ssh://git@github.com/owner/name``...).
Credentials in the URL are dropped and ssh becomes https: students clone
anonymously. The branch is ``--branch``, else the remote's default branch as this
clone knows it (``origin/HEAD``), else ``main``.

Printed:

- the Binder URL and its badge in Markdown, opening JupyterLab on notebook 00.
  mybinder.org's ``gh/`` links need a repository on github.com named
  ``owner/name``; for another host no Binder link is printed, and the output says so
  (build one by hand at https://mybinder.org for GitLab or a plain git URL);
- with ``--hub``, the nbgitpuller link for that JupyterHub: the students' server
  clones (or, next time, merges) the repository into a folder named after it and
  opens notebook 00 in JupyterLab. It works for a repository on any https host.

Only the standard library: runs with any Python 3.9 or later, before ``make install``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

NOTEBOOK = "notebooks/00_start_here.ipynb"
BINDER = "https://mybinder.org"
BADGE = "https://mybinder.org/badge_logo.svg"
DEFAULT_BRANCH = "main"

# git's scp-like form: [user@]host:path (no scheme, no slash before the colon).
SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>.+)$")


class LinkError(ValueError):
    """A remote or an option the links cannot be built from."""


@dataclass(frozen=True)
class Repository:
    """A git repository that students can clone anonymously over https."""

    host: str  # lower case, without port or credentials
    path: str  # without leading or trailing "/", without ".git" for github.com

    @property
    def https_url(self) -> str:
        return f"https://{self.host}/{self.path}"

    @property
    def name(self) -> str:
        """The folder nbgitpuller clones into: the URL's last part."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def on_github(self) -> bool:
        return self.host == "github.com"


def parse_remote(url: str) -> Repository:
    """The repository behind a git remote URL (https, ssh, scp-like or git)."""
    text = url.strip()
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh"):
            raise LinkError(
                f"url must be an https, ssh or git URL students can reach, got {url!r}"
            )
        host, path = parts.hostname or "", parts.path
    elif match := SCP_LIKE.match(text):
        host, path = match["host"], match["path"]
    else:
        raise LinkError(
            f"url must look like https://github.com/owner/name or "
            f"git@github.com:owner/name.git, got {url!r}"
        )
    host = host.lower()
    path = path.strip("/")
    if not host or not path:
        raise LinkError(f"url has no host or no repository path, got {url!r}")
    if host == "github.com":
        path = path.removesuffix(".git")
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", path):
            raise LinkError(
                f"url must name a GitHub repository as owner/name, got {url!r}"
            )
    return Repository(host, path)


def binder_url(repo: Repository, branch: str) -> str:
    """mybinder.org URL opening JupyterLab on notebook 00 (github.com only)."""
    if not repo.on_github:
        raise LinkError(
            f"Binder gh/ links need a github.com repository, got {repo.https_url}"
        )
    query = urlencode({"urlpath": f"lab/tree/{NOTEBOOK}"}, quote_via=quote)
    # BinderHub reads gh/<owner>/<name>/<ref> with the ref allowed to hold "/".
    return f"{BINDER}/v2/gh/{repo.path}/{quote(branch)}?{query}"


def binder_badge(url: str) -> str:
    return f"[![Binder]({BADGE})]({url})"


def nbgitpuller_url(repo: Repository, branch: str, hub: str) -> str:
    """nbgitpuller link: clone or merge the repository, open notebook 00 in lab."""
    parts = urlsplit(hub)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise LinkError(
            f"hub must be a URL such as https://hub.example.edu, got {hub!r}"
        )
    query = urlencode(
        {
            "repo": repo.https_url,
            "branch": branch,
            "urlpath": f"lab/tree/{repo.name}/{NOTEBOOK}",
        },
        quote_via=quote,
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _git(*args: str, cwd: Path) -> str | None:
    """Output of a git command, or None when it fails (or git is missing)."""
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def origin_url(cwd: Path) -> str | None:
    return _git("remote", "get-url", "origin", cwd=cwd) or None


def origin_default_branch(cwd: Path) -> str | None:
    """The branch origin/HEAD points at (set by git clone), if git knows it."""
    ref = _git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", cwd=cwd)
    return ref.removeprefix("refs/remotes/origin/") if ref else None


def render(
    url: str | None, branch: str | None, hub: str | None, cwd: Path
) -> list[str]:
    """The lines to print (an error is raised as LinkError)."""
    source = "given"
    if not url:
        url, source = origin_url(cwd), "origin remote"
        if url is None:
            raise LinkError(
                "no URL given and this clone has no 'origin' remote: run "
                "`make links URL=https://github.com/owner/name` (add BRANCH=... for "
                "a branch other than main), or `git remote add origin <url>`"
            )
    branch_from = "given"
    if not branch and source == "origin remote":
        branch, branch_from = origin_default_branch(cwd), "origin/HEAD"
    if not branch:
        branch, branch_from = DEFAULT_BRANCH, "default; choose another with BRANCH=..."
    if not branch.strip() or any(c.isspace() for c in branch):
        raise LinkError(f"branch must be a git branch name, got {branch!r}")
    repo = parse_remote(url)

    lines = [
        f"Repository: {repo.https_url} ({source})",
        f"Branch:     {branch} ({branch_from})",
        "",
    ]
    if repo.on_github:
        link = binder_url(repo, branch)
        lines += [
            "Binder URL:",
            link,
            "",
            "Binder badge (Markdown):",
            binder_badge(link),
        ]
    else:
        lines += [
            f"Binder: no link printed. mybinder.org's gh/ links need a github.com "
            f"owner/name repository and this one is on {repo.host}; make a Binder "
            "link by hand at https://mybinder.org (GitLab or git repository URL).",
        ]
    lines.append("")
    if hub:
        lines += [
            f"nbgitpuller link for {hub} (students click it; their server clones "
            f"the repository into a folder {repo.name}/, or merges the new version "
            "into it, and opens notebook 00):",
            nbgitpuller_url(repo, branch, hub),
        ]
    else:
        lines.append(
            "nbgitpuller link: add HUB=https://your.hub.address (make links HUB=...)."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print the Binder, badge and nbgitpuller links of the course."
    )
    parser.add_argument("--url", help="repository URL (default: the origin remote)")
    parser.add_argument("--branch", help="branch (default: origin/HEAD, else main)")
    parser.add_argument(
        "--hub", help="JupyterHub address, e.g. https://hub.example.edu"
    )
    args = parser.parse_args(argv)
    try:
        lines = render(args.url, args.branch, args.hub, cwd=Path.cwd())
    except LinkError as error:
        print(f"links: error: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
