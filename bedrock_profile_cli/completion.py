"""Shell completion that answers from local files only: nothing here touches the network or imports
botocore (which costs ~100 ms on every TAB).

- ``--profile``: the sections of the AWS config and credentials files.
- ``--region``: the Bedrock regions in botocore's bundled ``endpoints.json``, read as a data file.
- identifiers for ``get``/``check``: a small private cache that ``list`` writes per account and
  region in the user's cache directory; only identifiers that keep the service's rule go in or
  come out.
- the committed scripts in ``completions/`` come from :func:`scripts`
  (``python -m bedrock_profile_cli.completion completions/`` rewrites them).  They speak Typer's
  completion protocol but read the program's answer as data: no shell evaluates a candidate.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from bedrock_profile_cli.cachedir import PROG, cache_dir, private_dir, write_private
from bedrock_profile_cli.identifiers import diagnose, parse
from bedrock_profile_cli.settings import COMPLETE_VAR

_REGION_RE = re.compile(r"[a-z]{2,4}(-[a-z]+)+-\d+")
_CACHE_LIMIT = 5000  # identifiers kept per account and region
_CACHE_FILE_LIMIT = 4 * 1024 * 1024  # bytes: 5000 ARNs are well under 1 MiB


# --- profiles ----------------------------------------------------------------------------------------


def _aws_file(env: str, default: str) -> Path:
    return Path(os.environ.get(env) or Path.home() / ".aws" / default).expanduser()


def profile_names() -> list[str]:
    """Named profiles from the AWS config file (``[profile x]``, ``[default]``) and credentials file."""
    names: list[str] = []
    for env, default, prefix in (
        ("AWS_CONFIG_FILE", "config", "profile "),
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials", ""),
    ):
        parser = configparser.RawConfigParser()
        try:
            parser.read(_aws_file(env, default))
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        for section in parser.sections():
            name = section[len(prefix) :] if prefix and section.startswith(prefix) else section
            if prefix and section != "default" and not section.startswith(prefix):
                continue  # [sso-session x], [services x]
            names.append(name.strip())
    return sorted(dict.fromkeys(names))


def complete_profile(incomplete: str) -> list[str]:
    return [name for name in profile_names() if name.startswith(incomplete)]


# --- regions -----------------------------------------------------------------------------------------


def bedrock_regions() -> list[str]:
    """Regions where botocore's bundled endpoint data lists Bedrock (see regions.py)."""
    from bedrock_profile_cli.regions import bedrock_regions as regions

    return regions()


def complete_region(incomplete: str) -> list[str]:
    return [region for region in bedrock_regions() if region.startswith(incomplete)]


# --- identifiers, from the cache that `list` writes -----------------------------------------------
#
# What the service returns reaches a shell through this cache, so only identifiers that keep the
# service's own rule (letters, digits, '-', ':', '.', an optional ARN prefix) are written, and only
# those are read back: a file of the wrong shape, or an entry someone else planted, offers nothing.


def _valid(value: object) -> str | None:
    return value if isinstance(value, str) and diagnose(value) is None else None


def _safe_name(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "_", part)


def _cache_file(account: str, region: str) -> Path:
    return cache_dir() / "profiles" / f"{_safe_name(account)}.{_safe_name(region)}.json"


def remember(summaries: Iterable[Mapping[str, object]], region: str | None) -> Path | None:
    """Record the IDs and ARNs that ``list`` saw, per account and region.  Best effort: a cache
    that cannot be written is no reason to fail a command.  Identifiers the service's rule refuses
    (shell syntax, backslashes, newlines...) are left out."""
    entries: dict[tuple[str, str], set[str]] = {}
    for summary in summaries:
        arn = _valid(summary.get("inferenceProfileArn"))
        account, where = "unknown", region or "unknown"
        if arn is not None and arn.startswith("arn:"):
            parsed = parse(arn)
            account, where = parsed.account or account, parsed.region or where
        bucket = entries.setdefault((account, where), set())
        bucket.update(v for v in (_valid(summary.get("inferenceProfileId")), arn) if v is not None)
    written = None
    for (account, where), values in entries.items():
        if not values:
            continue
        path = _cache_file(account, where)
        data = json.dumps({"identifiers": sorted(values)[:_CACHE_LIMIT]}).encode()
        try:
            write_private(private_dir(path.parent) / path.name, data)
            written = path
        except OSError:
            continue
    return written


def _read_cache(path: Path) -> list[str]:
    """The valid identifiers of one cache file; nothing when it is not ``{"identifiers": [str...]}``."""
    try:
        if path.stat().st_size > _CACHE_FILE_LIMIT:
            return []
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return []
    values = data.get("identifiers") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return []
    return [v for v in values[:_CACHE_LIMIT] if _valid(v) is not None]


def cached_identifiers(region: str | None) -> list[str]:
    """Identifiers from the cache for ``region`` (every region when it is not known)."""
    folder = cache_dir() / "profiles"
    pattern = f"*.{_safe_name(region)}.json" if region else "*.json"
    found: list[str] = []
    for path in sorted(folder.glob(pattern)):
        found.extend(_read_cache(path))
    return sorted(dict.fromkeys(found))


def complete_identifier(region: str | None, incomplete: str, already: Iterable[str] = ()) -> list[str]:
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    taken = set(already)
    return [v for v in cached_identifiers(region) if v.startswith(incomplete) and v not in taken]


# --- the committed scripts -------------------------------------------------------------------------------
#
# Typer's own scripts hand the program's answer to the shell as code: zsh and bash `eval` or
# word-split it, so a candidate such as `$(touch x)` ran on TAB.  These speak the same protocol
# (_BEDROCK_PROFILE_COMPLETE=complete_<shell>, the words in COMP_WORDS/COMP_CWORD or
# _TYPER_COMPLETE_ARGS, one candidate a line on stdout) but read every line as data.

_HEADER = """\
{comment} {shell} completion for {prog}.
{comment} Generated by `python -m bedrock_profile_cli.completion completions/` from
{comment} bedrock_profile_cli/completion.py: edit that, not this file.
"""

_BASH = r"""
# Unlike the script Typer generates:
# - the program's answer is read line by line as data (mapfile), never word-split, globbed or
#   eval'd, and a candidate the shell would read as syntax is inserted quoted (printf %q);
# - identifiers and ARNs complete whole although bash splits words at ':' (COMP_WORDBREAKS): with
#   bash-completion through _get_comp_words_by_ref -n : and __ltrim_colon_completions, without it by
#   joining the pieces back with COMP_LINE;
# - nothing falls back to file names (no `-o default`): no argument of @PROG@ is a file.

# Without bash-completion: COMP_WORDS joined back where bash split a word at ':' (no blank between
# the pieces in COMP_LINE); sets words, cword and cur of the caller.
@FUNC@_words() {
    local i pos=0 gap word
    words=()
    cword=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        word=${COMP_WORDS[i]}
        gap=0
        while [[ ${COMP_LINE:pos:1} == [[:space:]] ]]; do
            ((pos++))
            gap=1
        done
        if ((i > 0 && !gap)) && [[ $word == :* || ${words[${#words[@]}-1]} == *: ]]; then
            words[${#words[@]}-1]+=$word
        else
            words+=("$word")
        fi
        ((pos += ${#word}))
        ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
    done
    cur=${words[cword]}
}

@FUNC@() {
    local cur="" cword=0 i prefix
    local -a words=() candidates=()
    if declare -F _get_comp_words_by_ref >/dev/null; then
        _get_comp_words_by_ref -n : cur words cword
    else
        @FUNC@_words
    fi
    local IFS=$' \t\n'
    mapfile -t candidates < <(env COMP_WORDS="${words[*]}" COMP_CWORD="$cword" \
        @VAR@=complete_bash "$1" 2>/dev/null)
    COMPREPLY=()
    for i in "${!candidates[@]}"; do
        [[ -n ${candidates[i]} ]] && COMPREPLY+=("${candidates[i]}")
    done
    # bash replaces only what follows the last ':' of the word: offer the rest of each candidate
    if declare -F __ltrim_colon_completions >/dev/null; then
        __ltrim_colon_completions "$cur"
    elif [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        prefix=${cur%"${cur##*:}"}
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
        done
    fi
    for i in "${!COMPREPLY[@]}"; do
        if [[ ${COMPREPLY[i]} == *[!A-Za-z0-9._:/=,+@%-]* ]]; then
            printf -v "COMPREPLY[i]" %q "${COMPREPLY[i]}"
        fi
    done
    return 0
}

complete -F @FUNC@ @PROG@
"""

_ZSH = r"""
# Unlike the script Typer generates, the program's answer (`_arguments '*: :(("value":"help"...))'`)
# is parsed line by line as data and handed to compadd, which quotes what it inserts; it is never
# eval'd.  Nothing falls back to file names (Typer answers `_files` when it has no candidate): no
# argument of @PROG@ is a file.  Works sourced (compdef) or autoloaded from $fpath.

@FUNC@() {
  emulate -L zsh
  local out line item= quotes value help i width=0 head="_arguments '*: :((" tail="))'" sep='":"'
  local b='\' q='"' s="'" d='$' t='`'
  local -a lines values helps displays
  out=$(env _TYPER_COMPLETE_ARGS="${words[1,CURRENT]}" @VAR@=complete_zsh @PROG@ 2>/dev/null) || return 1
  lines=("${(@f)out}")
  [[ ${lines[1]} == "$head"* && ${lines[-1]} == *"$tail" ]] || return 1
  lines[1]=${lines[1]#"$head"}
  lines[-1]=${lines[-1]%"$tail"}
  for line in "${lines[@]}"; do
    # "value" or "value":"help", where Typer wrote " as "", ' as '', $ as \$, ` as \` and : as \\:;
    # a help text that spans lines leaves an odd number of " until its last line
    item=${item:+$item }$line
    quotes=${item//[^\"]/}
    (( ${#quotes} % 2 )) && continue
    line=$item item=
    [[ ${#line} -ge 2 && $line == \"*\" ]] || continue
    line=${line[2,-2]}
    value=${line%%"$sep"*}
    help=
    [[ $line == *"$sep"* ]] && help=${line#*"$sep"}
    value=${${${${${value//$b$b:/:}//$b$d/$d}//$b$t/$t}//$q$q/$q}//$s$s/$s}
    help=${${${${${help//$b$b:/:}//$b$d/$d}//$b$t/$t}//$q$q/$q}//$s$s/$s}
    values+=("$value")
    helps+=("$help")
    (( ${#value} > width )) && width=${#value}
  done
  (( ${#values} )) || return 1
  if [[ -z ${(j::)helps} ]]; then
    compadd -- "${values[@]}"
    return
  fi
  for i in {1..${#values}}; do
    displays+=("${(r:width:)values[i]}  -- ${helps[i]}")
  done
  compadd -l -d displays -- "${values[@]}"
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  @FUNC@ "$@"
else
  compdef @FUNC@ @PROG@
fi
"""

_FISH = r"""
# Unlike the script Typer generates, the program runs once per TAB (not twice), its output lines are
# candidates ("value<TAB>help") and nothing else, and nothing falls back to file names: no argument of
# @PROG@ is a file.

function @FUNC@
    set -lx @VAR@ complete_fish
    set -lx _TYPER_COMPLETE_FISH_ACTION get-args
    set -lx _TYPER_COMPLETE_ARGS (commandline -cp | string collect)
    command @PROG@ 2>/dev/null
end

complete --command @PROG@ --no-files --arguments '(@FUNC@)'
"""

_POWERSHELL = r"""
# Unlike the script Typer generates: no candidate is ever run (no Invoke-Expression; each output line
# "value:::help" is split once and used as text), a candidate PowerShell would read as syntax is
# inserted single-quoted, the environment variables are removed afterwards, and the Tab key binding
# is left as the user set it.

Register-ArgumentCompleter -Native -CommandName @PROG@ -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $env:@VAR@ = 'complete_powershell'
    $env:_TYPER_COMPLETE_ARGS = $commandAst.ToString()
    $env:_TYPER_COMPLETE_WORD_TO_COMPLETE = $wordToComplete
    try {
        $lines = @(& @PROG@ 2>$null)
    } finally {
        Remove-Item -Path Env:@VAR@, Env:_TYPER_COMPLETE_ARGS, Env:_TYPER_COMPLETE_WORD_TO_COMPLETE `
            -ErrorAction SilentlyContinue
    }
    # "value:::help" a line; a help text that spans lines goes on in lines without ":::"
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($line in $lines) {
        $line = [string]$line
        if ($line.Contains(':::')) {
            $value, $help = $line -split ':::', 2
            $items.Add([pscustomobject]@{ Value = $value; Help = $help })
        } elseif ($items.Count -gt 0) {
            $items[$items.Count - 1].Help += ' ' + $line
        }
    }
    foreach ($item in $items) {
        $value = $item.Value
        $help = $item.Help
        if ([string]::IsNullOrEmpty($value)) { continue }
        $text = $value
        if ($value -cnotmatch '^[A-Za-z0-9._:/-]+$') {
            $text = "'" + ($value -replace "['\u2018\u2019\u201A\u201B]", '$0$0') + "'"
        }
        if ([string]::IsNullOrWhiteSpace($help)) { $help = $value }
        [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $help)
    }
}
"""

# shell: (file name, comment leader, template, function name)
_SCRIPTS = {
    "bash": ("bedrock-profile.bash", "#", _BASH, "_bedrock_profile_completion"),
    "zsh": ("_bedrock-profile", "#", _ZSH, "_bedrock-profile"),
    "fish": ("bedrock-profile.fish", "#", _FISH, "__bedrock_profile_complete"),
    "pwsh": ("bedrock-profile.ps1", "#", _POWERSHELL, ""),
}
SHELL_FILES = {shell: spec[0] for shell, spec in _SCRIPTS.items()}


def script(shell: str) -> str:
    """The completion script for ``shell`` (bash, zsh, fish or pwsh)."""
    _, comment, body, func = _SCRIPTS[shell]
    header = _HEADER.format(comment=comment, shell=shell, prog=PROG)
    if shell == "zsh":
        header = f"#compdef {PROG}\n{header}"
    text = header + body.replace("@FUNC@", func).replace("@VAR@", COMPLETE_VAR).replace("@PROG@", PROG)
    return text.rstrip("\n") + "\n"


def scripts() -> dict[str, str]:
    """The committed script of each shell, by file name."""
    return {filename: script(shell) for shell, (filename, *_) in _SCRIPTS.items()}


def write_scripts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in scripts().items():
        (folder / filename).write_text(text, newline="\n")
        written.append(folder / filename)
    return written


if __name__ == "__main__":
    for path in write_scripts(Path(sys.argv[1] if len(sys.argv) > 1 else "completions")):
        print(path)
