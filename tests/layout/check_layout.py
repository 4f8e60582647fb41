#!/usr/bin/env python3
"""Checks the layer rules of DESIGN §5 on the source tree; fails listing every offence.

Run by ctest (label unit) as `layout_check` on the repository and as
`layout_check_self_test` on the fixture trees in tests/layout/fixtures/, so the check is
itself shown to pass and to fail.

Rules (each offence is reported as `path:line: [rule] message`):
  domain-include  a file in services/<svc>/domain/ includes anything but the standard
                  library, absl/..., pmo/base/... and services/<svc>/domain/...
  app-include     a file in services/*/app/ includes services/*/api/ or
                  services/*/consumers/
  store-include   a file in services/*/store/ includes services/*/app/
  app-redis       a file in services/*/app/ spells a Redis command ("HSET", "XADD", ...)
                  as a string literal: keys and every read and write live in store/
  base-include    a file in common/base/ includes anything but the standard library,
                  absl/... and pmo/base/...
  app-file-size   a file in services/*/app/ has more than 500 lines
  function-size   a function body in services/** or tools/** (outside tests/) or common/** spans more
                  than 120 lines, counted from its opening to its closing brace
  parse           a file whose braces do not balance (the scanner cannot vouch for it)

A function body is a `{` at namespace or class scope whose head ends in `)`, optionally
followed by const/noexcept/override/final/&/&&/a trailing `-> type`, or a constructor's
initialiser list. Comments, string literals (raw ones too), character literals and
preprocessor lines are skipped; a brace-initialised table at namespace scope is data,
not a function, and is not measured.

Exemption: a function that is a data table (one row per line, nothing to split) may say
so with a comment containing `pmo-layout: data-table`, followed by why, on one of the
three lines before its head, in its head or on the line of its opening brace, e.g.
    // pmo-layout: data-table — one row per KPI, definition and computation side by side
No other rule can be exempted.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_FUNCTION_LINES = 120
MAX_APP_FILE_LINES = 500
EXEMPTION_MARKER = "pmo-layout: data-table"
CXX_SUFFIXES = {".h", ".hh", ".hpp", ".hxx", ".inc", ".ipp", ".c", ".cc", ".cpp", ".cxx"}
SKIPPED_DIRS = {"node_modules"}  # plus every hidden directory
LAYERS = {"domain", "app", "store", "api", "consumers"}

# Redis commands a use case could build by hand; a string literal that is exactly one of
# these, in app/, is a command that belongs in store/.
REDIS_COMMANDS = set(
    """
    APPEND BLPOP BRPOP COPY DECR DECRBY DEL EVAL EVALSHA EXEC EXISTS EXPIRE EXPIREAT GET GETDEL
    GETSET HDEL HEXISTS HGET HGETALL HINCRBY HKEYS HLEN HMGET HMSET HSCAN HSET HSETNX HVALS
    INCR INCRBY KEYS LINDEX LLEN LPOP LPUSH LRANGE LREM LTRIM MGET MSET MULTI PERSIST PEXPIRE
    PTTL RENAME RPOP RPUSH SADD SCAN SCARD SET SETEX SETNX SISMEMBER SMEMBERS SREM SSCAN TTL
    UNLINK WATCH XACK XADD XDEL XLEN XRANGE XREAD XREADGROUP XREVRANGE XTRIM ZADD ZCARD
    ZCOUNT ZINCRBY ZRANGE ZRANGEBYSCORE ZRANK ZREM ZREMRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE
    ZSCORE
    """.split()
)

# The headers of the C++20 standard library and the C library headers it includes.
STD_HEADERS = set(
    """
    algorithm any array atomic barrier bit bitset charconv chrono codecvt compare complex
    concepts condition_variable coroutine deque exception execution expected filesystem
    format forward_list fstream functional future initializer_list iomanip ios iosfwd
    iostream istream iterator latch limits list locale map memory memory_resource mutex
    new numbers numeric optional ostream queue random ranges ratio regex scoped_allocator
    semaphore set shared_mutex source_location span sstream stack stdexcept stop_token
    streambuf string string_view strstream syncstream system_error thread tuple
    type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant
    vector version
    cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal
    cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype
    assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h setjmp.h
    signal.h stdarg.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h
    wctype.h
    """.split()
)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str = ""

    def key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.rule)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


# --------------------------------------------------------------------------- scanning


@dataclass
class Token:
    text: str
    line: int
    value: str = ""  # the text of a plain string literal


@dataclass
class Include:
    line: int
    angled: bool
    path: str


IDENT_START = re.compile(r"[A-Za-z_]")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PP_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.'])*")
INCLUDE = re.compile(r'#\s*include\s*([<"])([^>"]*)[>"]')
RAW_PREFIXES = {"R", "u8R", "uR", "UR", "LR"}
TWO_CHAR_PUNCT = {"::", "->"}


def tokenize(text: str) -> tuple[list[Token], list[Include]]:
    """Tokens of C++ source without comments, literals' contents or preprocessor lines.

    String and character literals become one token "STR" / "CHR" so that braces in them
    do not count; includes are collected from the preprocessor lines.
    """
    tokens: list[Token] = []
    includes: list[Include] = []
    i, n, line = 0, len(text), 1
    at_line_start = True  # only whitespace so far on this line
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "\\" and i + 1 < n and text[i + 1] == "\n":  # line splice outside a directive
            line += 1
            i += 2
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
            continue
        if c == "#" and at_line_start:
            start, start_line = i, line
            # A directive runs to the end of the line, continued by a trailing backslash.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    line += 1
                    i += 2
                    continue
                if text.startswith("/*", i):  # a block comment may carry the directive on
                    j = text.find("*/", i + 2)
                    j = n if j < 0 else j + 2
                    line += text.count("\n", i, j)
                    i = j
                    continue
                i += 1
            m = INCLUDE.match(text, start)
            if m:
                includes.append(Include(start_line, m.group(1) == "<", m.group(2).strip()))
            continue
        at_line_start = False
        if IDENT_START.match(c):
            m = IDENT.match(text, i)
            word = m.group(0)
            i = m.end()
            if i < n and text[i] == '"' and word in RAW_PREFIXES:
                i, line = _skip_raw_string(text, i, line)
                tokens.append(Token("STR", line))
            elif i < n and text[i] == '"' and word in {"u8", "u", "U", "L"}:
                i, line = _skip_quoted(text, i, '"', line)
                tokens.append(Token("STR", line))
            elif i < n and text[i] == "'" and word in {"u8", "u", "U", "L"}:
                i, line = _skip_quoted(text, i, "'", line)
                tokens.append(Token("CHR", line))
            else:
                tokens.append(Token(word, line))
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            # A pp-number, so that digit separators (1'000'000) are not character literals.
            m = PP_NUMBER.match(text, i)
            tokens.append(Token("NUM", line))
            i = m.end()
            continue
        if c == '"':
            start, start_line = i, line
            i, line = _skip_quoted(text, i, '"', line)
            tokens.append(Token("STR", start_line, text[start + 1 : i - 1]))
            continue
        if c == "'":
            i, line = _skip_quoted(text, i, "'", line)
            tokens.append(Token("CHR", line))
            continue
        two = text[i : i + 2]
        if two in TWO_CHAR_PUNCT:
            tokens.append(Token(two, line))
            i += 2
            continue
        if two == "&&":
            tokens.append(Token("&&", line))
            i += 2
            continue
        tokens.append(Token(c, line))
        i += 1
    return tokens, includes


def _skip_quoted(text: str, i: int, quote: str, line: int) -> tuple[int, int]:
    """From the opening quote at i to just past the closing one (escapes honoured)."""
    i += 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
            i += 2
            continue
        if c == quote:
            return i + 1, line
        if c == "\n":  # unterminated: stop at the end of the line, as the compiler would
            return i, line
        i += 1
    return n, line


def _skip_raw_string(text: str, i: int, line: int) -> tuple[int, int]:
    """From the quote of R"delim( at i to just past )delim"."""
    open_paren = text.find("(", i)
    if open_paren < 0:
        return len(text), line
    delimiter = text[i + 1 : open_paren]
    end = text.find(")" + delimiter + '"', open_paren)
    end = len(text) if end < 0 else end + len(delimiter) + 2
    return end, line + text.count("\n", i, end)


# Scope kinds on the brace stack.
NAMESPACE, CLASS, FUNCTION, INIT, DATA, INNER = "namespace", "class", "function", "init", "data", "inner"
QUALIFIERS = {"const", "volatile", "noexcept", "override", "final", "&", "&&", "mutable", "constexpr", "throw"}
CLASS_KEYS = {"class", "struct", "union", "enum"}
ACCESS = {"public", "private", "protected"}


@dataclass
class FunctionBody:
    name: str
    head_line: int
    open_line: int
    close_line: int

    @property
    def lines(self) -> int:
        return self.close_line - self.open_line + 1


def _strip_qualifiers(head: list[Token], end: int) -> int:
    """Index just past the last token before trailing qualifiers (noexcept(...) included)."""
    while end > 0:
        t = head[end - 1].text
        if t in QUALIFIERS:
            end -= 1
        elif t == "()" and end >= 2 and head[end - 2].text in {"noexcept", "throw"}:
            end -= 2
        else:
            break
    return end


def _classify(head: list[Token]) -> str:
    words = [t.text for t in head]
    if "namespace" in words or (words[:1] == ["extern"] and words[1:] == ["STR"]):
        return NAMESPACE
    if not words:
        return DATA
    # A constructor's initialiser list: `X::X(...) [noexcept] : a_(1), b_{2}`.
    if ":" in words:
        colon = words.index(":")
        before = _strip_qualifiers(head, colon)
        if before > 0 and words[before - 1] == "()":
            last = words[-1]
            return INIT if (IDENT.fullmatch(last) or last == ">") and last not in QUALIFIERS else FUNCTION
    # A trailing return type `auto f(...) -> T` or a constraint `f(...) requires C<T>`.
    for keyword in ("->", "requires"):
        if keyword in words and "()" in words[: words.index(keyword)]:
            return FUNCTION
    end = _strip_qualifiers(head, len(head))
    if end > 0 and words[end - 1] == "()":
        return FUNCTION
    if CLASS_KEYS & set(words):
        return CLASS
    return DATA


def _function_name(head: list[Token]) -> str:
    words = [t.text for t in head]
    if ":" in words and "()" in words[: words.index(":")]:
        words = words[: words.index(":")]
    if "->" in words:
        words = words[: words.index("->")]
    end = _strip_qualifiers([Token(w, 0) for w in words], len(words))
    if end > 0 and words[end - 1] == "()":
        end -= 1
    # Walk back over `A::B::~C` or `operator==`; an identifier right before an
    # identifier is the return type, where the name ends.
    name: list[str] = []
    k = end - 1
    if k >= 1 and words[k - 1] == "operator":
        name, k = ["operator", words[k]], k - 2
    elif k >= 0 and IDENT.fullmatch(words[k]):
        name, k = [words[k]], k - 1
        if k >= 0 and words[k] == "~":
            name, k = ["~"] + name, k - 1
    while name and k >= 1 and words[k] == "::" and IDENT.fullmatch(words[k - 1]):
        name, k = [words[k - 1], "::"] + name, k - 2
    return "".join(name) or "<function>"


def function_bodies(tokens: list[Token]) -> tuple[list[FunctionBody], list[str]]:
    """Every function body at namespace or class scope, and any brace problems."""
    bodies: list[FunctionBody] = []
    problems: list[str] = []
    # Each open brace: (kind, open line, head line, name). The head being built belongs to
    # the innermost namespace/class scope.
    stack: list[tuple[str, int, int, str]] = []
    head: list[Token] = []
    heads: list[list[Token]] = []  # saved heads of enclosing namespace/class scopes
    paren_depth = 0
    paren_start = 0

    def at_declaration_scope() -> bool:
        return not stack or stack[-1][0] in (NAMESPACE, CLASS)

    for tok in tokens:
        t = tok.text
        if not at_declaration_scope():
            if t == "{":
                stack.append((INNER, tok.line, 0, ""))
            elif t == "}":
                kind, open_line, head_line, name = stack.pop()
                if kind == FUNCTION:
                    bodies.append(FunctionBody(name, head_line, open_line, tok.line))
                if kind in (FUNCTION, DATA):
                    head = []
                elif kind == INIT:
                    head.append(Token("{}", tok.line))
            continue
        # At namespace or class scope: build the head of the next declaration.
        if paren_depth > 0:
            if t == "(":
                paren_depth += 1
            elif t == ")":
                paren_depth -= 1
                if paren_depth == 0:
                    head.append(Token("()", paren_start))
            elif t == "{":
                # A default argument `= {}` or a lambda passed along: not a body of its
                # own; the parenthesis resumes after it.
                stack.append((INNER, tok.line, 0, ""))
            continue
        if t == "(":
            paren_depth = 1
            paren_start = tok.line
            continue
        if t == ")":
            problems.append(f"{tok.line}: unmatched ')'")
            continue
        if t == ";":
            head = []
            continue
        if t == ":" and head and head[-1].text in ACCESS:
            head = []
            continue
        if t == "{":
            kind = _classify(head)
            head_line = head[0].line if head else tok.line
            name = _function_name(head) if kind == FUNCTION else ""
            stack.append((kind, tok.line, head_line, name))
            if kind in (NAMESPACE, CLASS):
                heads.append(head)
                head = []
            continue
        if t == "}":
            if not stack:
                problems.append(f"{tok.line}: unmatched '}}'")
                continue
            kind, _, _, _ = stack.pop()
            if kind in (NAMESPACE, CLASS):
                head = heads.pop() if heads else []
                # After a class body its declarators follow (`} name;`); after a namespace
                # a new declaration starts.
                head = [] if kind == NAMESPACE else head + [Token("{}", tok.line)]
            continue
        head.append(tok)
    if stack or paren_depth:
        problems.append(f"end of file: {len(stack)} unclosed '{{', {paren_depth} unclosed '('")
    return bodies, problems


# ------------------------------------------------------------------------------ rules


def _layer_of(rel: str) -> tuple[str, str] | None:
    """('intake', 'domain') for services/intake/domain/x.h; None outside a service layer."""
    parts = rel.split("/")
    if len(parts) >= 4 and parts[0] == "services" and parts[2] in LAYERS:
        return parts[1], parts[2]
    return None


def _resolve(include: Include, rel: str) -> str:
    """The include's path from the repository root where it names a service file."""
    path = include.path
    if include.angled:
        return path
    if path.startswith("../") or path.startswith("./"):
        return os.path.normpath(os.path.join(os.path.dirname(rel), path)).replace(os.sep, "/")
    first = path.split("/")[0]
    layer = _layer_of(rel)
    if layer and first in LAYERS:  # a bare "domain/x.h" from inside a service
        return f"services/{layer[0]}/{path}"
    return path


def _is_std(include: Include) -> bool:
    return include.angled and include.path in STD_HEADERS


def _is_absl(path: str) -> bool:
    return path.startswith("absl/")


def check_includes(rel: str, includes: list[Include]) -> list[Finding]:
    findings: list[Finding] = []
    layer = _layer_of(rel)
    in_base = rel.startswith("common/base/")
    for inc in includes:
        target = _resolve(inc, rel)
        shown = f"<{inc.path}>" if inc.angled else f'"{inc.path}"'
        target_layer = _layer_of(target)
        if layer and layer[1] == "domain":
            ok = (_is_std(inc) or _is_absl(target) or target.startswith("pmo/base/") or
                  target.startswith(f"services/{layer[0]}/domain/"))
            if not ok:
                findings.append(Finding(rel, inc.line, "domain-include",
                                        f"domain/ includes {shown}: only the standard library, absl/, "
                                        f"pmo/base/ and services/{layer[0]}/domain/ are allowed"))
        if layer and layer[1] == "app" and target_layer and target_layer[1] in ("api", "consumers"):
            findings.append(Finding(rel, inc.line, "app-include",
                                    f"app/ includes {shown}: app/ never includes api/ or consumers/"))
        if layer and layer[1] == "store" and target_layer and target_layer[1] == "app":
            findings.append(Finding(rel, inc.line, "store-include",
                                    f"store/ includes {shown}: store/ never includes app/"))
        if in_base and not (_is_std(inc) or _is_absl(target) or target.startswith("pmo/base/")):
            findings.append(Finding(rel, inc.line, "base-include",
                                    f"common/base/ includes {shown}: only the standard library, absl/ "
                                    f"and pmo/base/ are allowed"))
    return findings


def _exempted(lines: list[str], body: FunctionBody) -> bool:
    first = max(1, body.head_line - 3)
    return any(EXEMPTION_MARKER in lines[k - 1] for k in range(first, min(body.open_line, len(lines)) + 1))


def check_file(root: Path, rel: str) -> list[Finding]:
    text = (root / rel).read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    tokens, includes = tokenize(text)
    findings = check_includes(rel, includes)
    layer = _layer_of(rel)
    if layer and layer[1] == "app":
        for tok in tokens:
            if tok.text == "STR" and tok.value.upper() in REDIS_COMMANDS and tok.value.isupper():
                findings.append(Finding(rel, tok.line, "app-redis",
                                        f'app/ builds the Redis command "{tok.value}": keys, reads and '
                                        f"writes live in store/"))
    if layer and layer[1] == "app" and len(lines) > MAX_APP_FILE_LINES:
        findings.append(Finding(rel, 1, "app-file-size",
                                f"{len(lines)} lines; a file in app/ has at most {MAX_APP_FILE_LINES}"))
    if measures_functions(rel):
        bodies, problems = function_bodies(tokens)
        for problem in problems:
            line = int(problem.split(":")[0]) if problem[0].isdigit() else len(lines)
            findings.append(Finding(rel, line, "parse", f"braces do not balance ({problem})"))
        for body in bodies:
            if body.lines > MAX_FUNCTION_LINES and not _exempted(lines, body):
                findings.append(Finding(rel, body.open_line, "function-size",
                                        f"{body.name} has a body of {body.lines} lines; at most "
                                        f"{MAX_FUNCTION_LINES} (split it, or mark a data table "
                                        f"'{EXEMPTION_MARKER}')"))
    return findings


def measures_functions(rel: str) -> bool:
    parts = rel.split("/")
    if parts[0] == "common":
        return True
    return parts[0] in ("services", "tools") and "tests" not in parts


def source_files(root: Path) -> list[str]:
    found: list[str] = []
    for top in ("services", "common", "tools"):
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                if Path(name).suffix in CXX_SUFFIXES:
                    found.append(Path(dirpath, name).relative_to(root).as_posix())
    return found


def check_tree(root: Path) -> list[Finding]:
    findings: list[Finding] = []
    for rel in source_files(root):
        findings.extend(check_file(root, rel))
    return sorted(findings)


# -------------------------------------------------------------------------- self-test


def read_expected(path: Path) -> set[tuple[str, int, str]]:
    """Lines `path:line: [rule]` (anything after the rule is a comment)."""
    expected = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        m = re.match(r"([^:]+):(\d+): \[([a-z-]+)\]", raw)
        if not m:
            raise SystemExit(f"{path}: cannot read expectation {raw!r}")
        expected.add((m.group(1), int(m.group(2)), m.group(3)))
    return expected


def self_test(fixtures: Path) -> int:
    """Each fixture tree holds expected.txt: exactly the findings the check must report."""
    trees = sorted(p for p in fixtures.iterdir() if p.is_dir())
    if not trees:
        print(f"no fixture trees in {fixtures}")
        return 1
    failed = 0
    rules_seen: set[str] = set()
    clean_trees = 0
    for tree in trees:
        expected = read_expected(tree / "expected.txt")
        findings = check_tree(tree)
        got = {f.key() for f in findings}
        rules_seen |= {rule for _, _, rule in got}
        clean_trees += not expected
        missing, extra = expected - got, got - expected
        if missing or extra:
            failed += 1
            print(f"FAIL {tree.name}")
            for path, line, rule in sorted(missing):
                print(f"  expected, not reported: {path}:{line}: [{rule}]")
            for f in findings:
                if f.key() in extra:
                    print(f"  reported, not expected: {f}")
        else:
            print(f"ok   {tree.name}: {len(got)} finding(s) as expected")
    all_rules = {"domain-include", "app-include", "store-include", "app-redis", "base-include", "app-file-size",
                 "function-size", "parse"}
    if rules_seen != all_rules:
        failed += 1
        print(f"FAIL the fixtures make no rule fire of: {', '.join(sorted(all_rules - rules_seen))}")
    if clean_trees == 0:
        failed += 1
        print("FAIL no fixture tree shows the rules passing (an empty expected.txt)")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="repository root (default: this file's repository)")
    parser.add_argument("--self-test", action="store_true",
                        help="check the fixture trees in tests/layout/fixtures instead")
    args = parser.parse_args()
    if args.self_test:
        return self_test(Path(__file__).resolve().parent / "fixtures")
    findings = check_tree(args.root)
    for f in findings:
        print(f)
    if findings:
        rules = sorted({f.rule for f in findings})
        print(f"\n{len(findings)} layout problem(s) ({', '.join(rules)}); see tests/layout/check_layout.py")
        return 1
    print(f"layout ok: {len(source_files(args.root))} files checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
