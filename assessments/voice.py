"""Plan text in the exec's own voice: the sentences the CPO and HR read about "the exec",
spoken to the exec when they read their own plan ("The exec explains" -> "You explain").

Plans are stored once, in the third person, as the CPO wrote or edited them; this turns them
round for one reader only. It rewrites "the exec", "the exec's", the verb that follows, and
verbs joined to it later in the same clause ("reads the measures, talks about forecasts")
when they are among the verbs plans use. Anything it does not recognise stays as written.
"""

from __future__ import annotations

import re

__all__ = ["second_person"]

# Verbs whose "you" form is not the third person minus its s.
_IRREGULAR = {"has": "have", "is": "are", "was": "were", "does": "do", "goes": "go"}
# Words ending in s that follow "the exec" without being its verb ("describe the exec as").
_NOT_VERBS = frozenset({"as", "across", "always", "perhaps", "plus", "unless", "thus", "this"})
# Verbs that may be joined to the exec's first one ("and explains"): a word after "and" may
# as well be a noun ("and engineers"), so only these are turned round.
_JOINED_VERBS = frozenset(
    {
        "asks",
        "cites",
        "decides",
        "explains",
        "gives",
        "has",
        "is",
        "keeps",
        "leads",
        "makes",
        "reads",
        "reports",
        "runs",
        "says",
        "shares",
        "spends",
        "takes",
        "talks",
        "ties",
        "uses",
        "weighs",
    }
)
# Idioms that say "their" of the exec.
_IDIOMS = (("on their own", "on your own"),)

_POSSESSIVE = re.compile(r"\b([Tt])he exec['\u2019]s\b")
_EXEC = re.compile(r"\b([Tt])he exec\b(?:(\s+)(\w+))?")
_JOINED = re.compile(r"(,\s+(?:and\s+)?|\s+and\s+)(\w+)\b")
_CLAUSE_END = re.compile(r"[.;:]")


def _base_form(verb: str) -> str:
    """'explains' -> 'explain', 'watches' -> 'watch', 'tries' -> 'try'."""
    lower = verb.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return verb[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


def _is_verb(word: str) -> bool:
    lower = word.lower()
    return lower in _IRREGULAR or (
        lower.endswith("s") and not lower.endswith("ss") and lower not in _NOT_VERBS
    )


def _joined(rest: str) -> str:
    """Turn round the verbs joined to the exec's in the rest of its clause."""
    end = _CLAUSE_END.search(rest)
    clause, after = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    clause = _JOINED.sub(
        lambda m: (
            m.group(1) + (_base_form(m.group(2)) if m.group(2) in _JOINED_VERBS else m.group(2))
        ),
        clause,
    )
    return clause + after


def second_person(text: str) -> str:
    """The same text spoken to the exec it is about."""
    if "exec" not in text and "their own" not in text:
        return text
    text = _POSSESSIVE.sub(lambda m: "Your" if m.group(1) == "T" else "your", text)
    out = []
    at = 0
    while (match := _EXEC.search(text, at)) is not None:
        out.append(text[at : match.start()])
        you = "You" if match.group(1) == "T" else "you"
        word = match.group(3)
        at = match.end()
        if word is None:
            out.append(you)
        elif _is_verb(word):
            # "The exec explains ..., and talks ...": the exec is the subject of this clause.
            out.append(f"{you}{match.group(2)}{_base_form(word)}")
            rest = _joined(text[at:])
            text, at = text[:at] + rest, at
        else:
            # "describe the exec as", "the exec can": not its verb.
            out.append(f"{you}{match.group(2)}{word}")
    out.append(text[at:])
    spoken = "".join(out)
    for said, instead in _IDIOMS:
        spoken = spoken.replace(said, instead)
    return spoken
