"""Ruff lexer: source text -> list of Tokens (ending with EOF).

Like the reference lexer, newlines are not tokens; instead each token records whether it starts
a line (`nl_before`), which the parser uses to end statements and to keep `(`/`[`/`{` on a new
line from continuing the previous expression.
"""

from __future__ import annotations

import re

from ruff.diagnostics import RuffSyntaxError
from ruff.frontend.tokens import EOF, FLOAT, INT, INTERP, KEYWORDS, NAME, OPERATORS, STR, InterpPart, Token
from ruff.limits import I64_MAX

# Characters, as in the reference: they keep a token's text (and the messages that quote it) bounded.
MAX_NUMERIC_LITERAL_LENGTH = 512
MAX_IDENTIFIER_LENGTH = 256
MAX_STRING_LITERAL_LENGTH = 8192  # of one literal's text between interpolations
_STRING_TOO_LONG = f"String literal exceeds max length of {MAX_STRING_LITERAL_LENGTH} characters"

_MASTER = re.compile(
    r"""
      (?P<ws>[ \t\f\v\ufeff]+)
    | (?P<nl>\n)
    | (?P<comment>(?:\#|//)[^\n]*)
    | (?P<block>/\*)
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_]\w*)
    | (?P<quote>["'])
    | (?P<op>"""
    + "|".join(re.escape(op) for op in OPERATORS)
    + ")",
    re.VERBOSE,
)
_WORD_CHAR = re.compile(r"\w")
_WORD_RUN = re.compile(r"\w*")
_BLOCK_EDGE = re.compile(r"/\*|\*/")
_STR_CHUNK = {q: re.compile(rf"[^{q}\\\n$]+") for q in "\"'"}
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0", "$": "$"}
_UNICODE_ESCAPE = re.compile(r"u\{([0-9A-Fa-f]{1,6})\}")


def tokenize(source: str, filename: str) -> list[Token]:
    """Tokenize a whole file; EOF sits at the end of the last non-blank line."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    tokens = _Lexer(source, filename, 1, 1).run()
    tail = source.rstrip()
    eof = tokens[-1]
    eof.line = tail.count("\n") + 1
    eof.col = len(tail) - tail.rfind("\n")
    eof.end_line, eof.end_col = eof.line, eof.col
    return tokens


def tokenize_fragment(source: str, filename: str, line: int, col: int) -> list[Token]:
    """Tokenize the inside of a `${...}` that starts at line:col; EOF sits on its closing `}`."""
    tokens = _Lexer(source, filename, line, col).run()
    tokens[-1].value = "'}'"
    return tokens


class _Lexer:
    def __init__(self, src: str, filename: str, line: int, col: int):
        self.src = src
        self.filename = filename
        self.line = line
        # Columns are `index - line_start + 1`; a fragment's first line starts mid-line.
        self.line_start = 1 - col

    def error(self, message: str, index: int) -> RuffSyntaxError:
        """An error at `index`, which must lie on the current line."""
        return self.error_at(message, self.line, index - self.line_start + 1)

    def error_at(self, message: str, line: int, col: int) -> RuffSyntaxError:
        return RuffSyntaxError("lex", message, self.filename, line, col)

    def newlines_in(self, start: int, end: int) -> None:
        count = self.src.count("\n", start, end)
        if count:
            self.line += count
            self.line_start = self.src.rfind("\n", start, end) + 1

    def run(self) -> list[Token]:
        src, n, match = self.src, len(self.src), _MASTER.match
        tokens: list[Token] = []
        append = tokens.append
        pos = 0
        nl_before = True
        while pos < n:
            m = match(src, pos)
            if m is None:
                ch = src[pos]
                if ch == "\0":
                    raise self.error("Null byte is not allowed in source", pos)
                raise self.error(f"Invalid character: '{ch}'", pos)
            group = m.lastgroup
            end = m.end()
            if group == "ws" or group == "comment":
                pos = end
                continue
            if group == "nl":
                self.line += 1
                self.line_start = end
                nl_before = True
                pos = end
                continue
            line, col = self.line, pos - self.line_start + 1
            if group == "block":
                end = self.block_comment(pos)
                if src.count("\n", pos, end):
                    nl_before = True
                self.newlines_in(pos, end)
                pos = end
                continue
            if group == "name":
                if end - pos > MAX_IDENTIFIER_LENGTH:
                    raise self.error(f"Identifier exceeds max length of {MAX_IDENTIFIER_LENGTH} characters", pos)
                text = m.group()
                kind = text if text in KEYWORDS else NAME
                append(Token(kind, text, line, col, line, col + end - pos, nl_before))
            elif group == "op":
                text = m.group()
                append(Token(text, text, line, col, line, col + end - pos, nl_before))
            elif group == "number":
                if _WORD_CHAR.match(src, end):
                    stop = _WORD_RUN.match(src, end).end()
                    raise self.error(f"Malformed numeric literal: {src[pos:stop]}", pos)
                value = self.number(m.group(), pos, tokens)
                kind = INT if type(value) is int else FLOAT
                append(Token(kind, value, line, col, line, col + end - pos, nl_before))
            else:  # quote
                token, end = self.string(pos, line, col)
                token.nl_before = nl_before
                append(token)
            nl_before = False
            pos = end
        append(Token(EOF, "end of input", self.line, pos - self.line_start + 1, nl_before=True))
        return tokens

    def number(self, text: str, pos: int, tokens: list[Token]) -> int | float:
        # The reference's limit and wording; the limit also keeps int() clear of Python's digit limit.
        if len(text) > MAX_NUMERIC_LITERAL_LENGTH:
            raise self.error(f"Numeric literal exceeds max length of {MAX_NUMERIC_LITERAL_LENGTH} characters", pos)
        if "." in text or "e" in text or "E" in text:
            value = float(text)
            if value == float("inf"):
                raise self.error(f"Numeric literal overflow: {text}", pos)
            return value
        value = int(text)
        # 2**63 only exists as the operand of a unary minus; the parser folds it to i64 min.
        if value > I64_MAX and not (value == I64_MAX + 1 and tokens and tokens[-1].kind == "-"):
            raise self.error(f"Numeric literal overflow: {text}", pos)
        return value

    def block_comment(self, pos: int) -> int:
        """Index just past the `*/` closing the comment opened at pos.

        Block comments nest, but the reference's do not, and its programs write prose such as
        "comments start with /* and end with ..." inside them: when nesting never closes, the
        comment ends at the first `*/`, as the reference would end it.
        """
        depth = 0
        first_close = -1
        for m in _BLOCK_EDGE.finditer(self.src, pos):
            if m.group() == "/*":
                depth += 1
                continue
            depth -= 1
            if depth == 0:
                return m.end()
            if first_close < 0:
                first_close = m.end()
        if first_close >= 0:
            return first_close
        raise self.error("Unterminated block comment", pos)

    def string(self, start: int, line: int, col: int) -> tuple[Token, int]:
        """The string literal whose quote is at start.

        Its text between interpolations may hold MAX_STRING_LITERAL_LENGTH characters. As in the
        reference, escapes count towards that length but only a plain character can cross it.
        """
        src, n = self.src, len(self.src)
        quote = src[start]
        chunk = _STR_CHUNK[quote]
        parts: list[str | InterpPart] = []
        buf: list[str] = []
        size = 0  # characters in buf
        i = start + 1
        while True:
            m = chunk.match(src, i)
            if m:
                buf.append(m.group())
                size += m.end() - i
                if size > MAX_STRING_LITERAL_LENGTH:
                    raise self.error_at(_STRING_TOO_LONG, line, col)
                i = m.end()
            if i >= n or src[i] == "\n":
                raise self.error_at("Unterminated string literal", line, col)
            ch = src[i]
            if ch == quote:
                i += 1
                break
            if ch == "\\":
                text, i = self.escape(i, line, col)
                buf.append(text)
                size += 1
            elif src.startswith("${", i):
                if buf:
                    parts.append("".join(buf))
                    buf = []
                    size = 0
                expr_start = i + 2
                expr_end = self.interpolation_end(expr_start, line, col)
                parts.append(InterpPart(src[expr_start:expr_end], self.line, expr_start - self.line_start + 1))
                self.newlines_in(expr_start, expr_end)
                i = expr_end + 1
            else:  # a lone `$`
                buf.append("$")
                size += 1
                if size > MAX_STRING_LITERAL_LENGTH:
                    raise self.error_at(_STRING_TOO_LONG, line, col)
                i += 1
        end_col = i - self.line_start + 1
        if not parts:
            return Token(STR, "".join(buf), line, col, self.line, end_col), i
        if buf:
            parts.append("".join(buf))
        return Token(INTERP, parts, line, col, self.line, end_col), i

    def escape(self, i: int, line: int, col: int) -> tuple[str, int]:
        """Decode the escape whose backslash is at i; return its text and the index after it."""
        src = self.src
        if i + 1 >= len(src) or src[i + 1] == "\n":
            raise self.error_at("Unterminated string literal", line, col)
        ch = src[i + 1]
        if ch in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[ch], i + 2
        m = _UNICODE_ESCAPE.match(src, i + 1)
        if m:
            code = int(m.group(1), 16)
            if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), m.end()
        if ch == "u":
            raise self.error("Invalid unicode escape sequence", i)
        raise self.error(f"Invalid escape sequence: \\{ch}", i)

    def interpolation_end(self, i: int, line: int, col: int) -> int:
        """Index of the `}` closing the interpolation whose body starts at i.

        Strings inside the expression may hold braces and interpolations of their own, so this
        tracks a stack of contexts: an int is the brace depth of an expression, a str is the
        quote of an enclosing string literal.
        """
        src, n = self.src, len(self.src)
        stack: list[int | str] = [0]
        while i < n:
            ch = src[i]
            top = stack[-1]
            if isinstance(top, str):
                if ch == "\\":
                    i += 1
                elif ch == top:
                    stack.pop()
                elif ch == "\n":
                    break
                elif ch == "$" and src.startswith("${", i):
                    stack.append(0)
                    i += 1
            elif ch == "{":
                stack[-1] = top + 1
            elif ch == "}":
                if top:
                    stack[-1] = top - 1
                else:
                    stack.pop()
                    if not stack:
                        return i
            elif ch == '"' or ch == "'":
                stack.append(ch)
            i += 1
        raise self.error_at("Unterminated interpolated string expression", line, col)
