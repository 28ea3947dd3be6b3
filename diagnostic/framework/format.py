"""The framework text format `dsd-framework/1` (YAML): parse, validate, write canonically.

Plain data in, plain data out; nothing here touches the database (see framework_store.py).
A *document* is the dict that `yaml.safe_load` gives for a framework file. `dump_framework`
writes one in the canonical layout, so that a canonical file == dump(parse(file)) byte for
byte. The rules are those of the format's specification; each error says where it is
("competency C2, question C2-K1: two options marked correct"), and all errors are collected.
"""

import functools
import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

from ..exceptions import FrameworkValidationError

FORMAT = "dsd-framework/1"
LANGUAGES = ("es", "en")
STATUSES = ("draft", "published", "retired")
KINDS = ("self", "knowledge", "frequency")
LEVELS = (0, 1, 2, 3, 4)
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
HEADER = (
    f"# Skills framework, format {FORMAT}. Written by `manage.py export_framework`; load it with\n"
    "# `manage.py load_framework FILE`. A published version never changes: raise `version` to\n"
    "# load changed content as a new version.\n"
)

# key -> required? for every mapping of the format
TOP_KEYS = {"format": True, "framework": True, "levels": True, "job_roles": True, "areas": True}
FRAMEWORK_KEYS = {
    "code": True,
    "version": True,
    "status": True,
    "knowledge_weight": True,
    "name": True,
    "description": True,
}
LEVEL_KEYS = {"level": True, "name": True, "description": True}
ROLE_KEYS = {"code": True, "name": True, "description": True}
AREA_KEYS = {"code": True, "name": True, "description": True, "competencies": True}
COMPETENCY_KEYS = {
    "code": True,
    "name": True,
    "description": True,
    "descriptors": True,
    "targets": True,
    "questions": True,
}
QUESTION_KEYS = {"code": True, "kind": True, "text": True, "options": False}
OPTION_KEYS = {"code": True, "text": True, "correct": False, "dont_know": False}

# Longest text the database holds for each name (model max_length); None: unlimited.
NAME_MAX = 200
LEVEL_NAME_MAX = 100
FRAMEWORK_CODE_MAX = 40
ROLE_CODE_MAX = 40
AREA_CODE_MAX = 20
COMPETENCY_CODE_MAX = 20
QUESTION_CODE_MAX = 30
OPTION_CODE_MAX = 20


class _DuplicateKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML keeps the last of two equal keys silently; a framework file must not."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key “{key}”", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_framework(text: str) -> dict:
    """Read and validate a framework file's text; raise FrameworkValidationError with every
    problem found, or return the document."""
    try:
        document = yaml.load(text, Loader=_DuplicateKeyLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            message = _("not valid YAML at line %(line)s, column %(column)s: %(problem)s") % {
                "line": mark.line + 1,
                "column": mark.column + 1,
                "problem": problem,
            }
        else:
            message = _("not valid YAML: %(problem)s") % {"problem": problem}
        raise FrameworkValidationError([message]) from exc
    errors = validate_document(document)
    if errors:
        raise FrameworkValidationError(errors)
    return document


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: list[str], message: str) -> None:
        self.errors.append(f"{', '.join(where)}: {message}" if where else message)

    def mapping(self, where: list[str], value: Any, keys: dict[str, bool]) -> bool:
        """Check that `value` is a mapping with exactly the allowed keys and every required one."""
        if not isinstance(value, dict):
            self.error(where, _("must be a mapping"))
            return False
        for key, required in keys.items():
            if required and key not in value:
                self.error(where, _("missing key “%(key)s”") % {"key": key})
        for key in value:
            if key not in keys:
                self.error(where, _("unknown key “%(key)s”") % {"key": key})
        return True

    def items(self, where: list[str], value: Any, *, empty_ok: bool = False) -> list:
        if not isinstance(value, list):
            self.error(where, _("must be a list"))
            return []
        if not value and not empty_ok:
            self.error(where, _("must not be empty"))
        return value

    def text(self, where: list[str], value: Any, max_length: int | None = None) -> None:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            self.error(where, _("must be a mapping with the keys es and en"))
            if not isinstance(value, dict):
                return
        for language in LANGUAGES:
            if language not in value:
                continue
            content = value[language]
            if not isinstance(content, str) or not content.strip():
                self.error(where, _("the “%(language)s” text is empty") % {"language": language})
            elif "\x00" in content:
                self.error(
                    where,
                    _("the “%(language)s” text holds a NUL character") % {"language": language},
                )
            elif max_length is not None and len(content) > max_length:
                self.error(
                    where,
                    _("the “%(language)s” text is longer than %(max)s characters")
                    % {"language": language, "max": max_length},
                )

    def code(self, where: list[str], value: Any, max_length: int, pattern=CODE) -> bool:
        if not isinstance(value, str) or not pattern.match(value):
            self.error(
                where,
                _("code %(code)s must be letters, digits, “-”, “_” or “.”") % {"code": repr(value)},
            )
            return False
        if len(value) > max_length:
            self.error(
                where,
                _("code “%(code)s” is longer than %(max)s characters")
                % {"code": value, "max": max_length},
            )
            return False
        return True

    def integer(self, where: list[str], value: Any, low: int, high: int | None) -> bool:
        ok = isinstance(value, int) and not isinstance(value, bool)
        ok = ok and value >= low and (high is None or value <= high)
        if not ok:
            if high is None:
                message = _("must be a whole number of at least %(low)s") % {"low": low}
            else:
                message = _("must be a whole number from %(low)s to %(high)s") % {
                    "low": low,
                    "high": high,
                }
            self.error(where, message)
        return ok

    def unique(self, where: list[str], code: str, seen: set) -> None:
        if code in seen:
            self.error(where, _("code “%(code)s” is used more than once") % {"code": code})
        seen.add(code)


def _label(template: str, value: Any, position: int) -> str:
    """ "competency C2", or "competency #3" when the item has no usable code."""
    shown = value if isinstance(value, str | int) and not isinstance(value, bool) else None
    return template % {"code": shown if shown is not None else f"#{position + 1}"}


def validate_document(document: Any) -> list[str]:
    """Every rule of the format that `document` breaks, each message saying where."""
    check = _Checker()
    if not check.mapping([], document, TOP_KEYS):
        return check.errors
    if "format" in document and document["format"] != FORMAT:
        check.error(
            ["format"],
            _("unsupported format %(value)s (expected %(expected)s)")
            % {"value": repr(document["format"]), "expected": FORMAT},
        )
    if "framework" in document:
        _check_framework(check, document["framework"])
    if "levels" in document:
        _check_levels(check, document["levels"])
    roles: set[str] = set()
    if "job_roles" in document:
        roles = _check_roles(check, document["job_roles"])
    if "areas" in document:
        _check_areas(check, document["areas"], roles)
    return check.errors


def _check_framework(check: _Checker, framework: Any) -> None:
    where = ["framework"]
    if not check.mapping(where, framework, FRAMEWORK_KEYS):
        return
    if "code" in framework:
        check.code(where + ["code"], framework["code"], FRAMEWORK_CODE_MAX, SLUG)
    if "version" in framework:
        check.integer(where + ["version"], framework["version"], 1, None)
    if "status" in framework and framework["status"] not in STATUSES:
        check.error(
            where + ["status"],
            _("must be one of: %(choices)s") % {"choices": ", ".join(STATUSES)},
        )
    if "knowledge_weight" in framework:
        weight = framework["knowledge_weight"]
        ok = isinstance(weight, int | float) and not isinstance(weight, bool)
        if not (ok and 0 <= weight <= 1 and round(weight, 3) == weight):
            check.error(
                where + ["knowledge_weight"],
                _("must be a number from 0 to 1 with at most 3 decimals"),
            )
    if "name" in framework:
        check.text(where + ["name"], framework["name"], NAME_MAX)
    if "description" in framework:
        check.text(where + ["description"], framework["description"])


def _check_levels(check: _Checker, levels: Any) -> None:
    found = []
    for position, level in enumerate(check.items(["levels"], levels)):
        code = level.get("level") if isinstance(level, dict) else None
        where = [_label(_("level %(code)s"), code, position)]
        if not check.mapping(where, level, LEVEL_KEYS):
            continue
        found.append(level.get("level"))
        if "name" in level:
            check.text(where + ["name"], level["name"], LEVEL_NAME_MAX)
        if "description" in level:
            check.text(where + ["description"], level["description"])
    if isinstance(levels, list) and tuple(found) != LEVELS:
        check.error(["levels"], _("must be exactly the levels 0, 1, 2, 3, 4, in that order"))


def _check_roles(check: _Checker, roles: Any) -> set[str]:
    seen: set[str] = set()
    for position, role in enumerate(check.items(["job_roles"], roles)):
        code = role.get("code") if isinstance(role, dict) else None
        where = [_label(_("job role %(code)s"), code, position)]
        if not check.mapping(where, role, ROLE_KEYS):
            continue
        if "code" in role and check.code(where, code, ROLE_CODE_MAX, SLUG):
            check.unique(where, code, seen)
        if "name" in role:
            check.text(where + ["name"], role["name"], NAME_MAX)
        if "description" in role:
            check.text(where + ["description"], role["description"])
    return seen


def _check_areas(check: _Checker, areas: Any, roles: set[str]) -> None:
    area_codes: set[str] = set()
    competency_codes: set[str] = set()
    question_codes: set[str] = set()
    for position, area in enumerate(check.items(["areas"], areas)):
        code = area.get("code") if isinstance(area, dict) else None
        where = [_label(_("area %(code)s"), code, position)]
        if not check.mapping(where, area, AREA_KEYS):
            continue
        if "code" in area and check.code(where, code, AREA_CODE_MAX):
            check.unique(where, code, area_codes)
        if "name" in area:
            check.text(where + ["name"], area["name"], NAME_MAX)
        if "description" in area:
            check.text(where + ["description"], area["description"])
        competencies = check.items(where + ["competencies"], area.get("competencies", []))
        for index, competency in enumerate(competencies):
            _check_competency(check, competency, index, roles, competency_codes, question_codes)


def _check_competency(
    check: _Checker,
    competency: Any,
    position: int,
    roles: set[str],
    competency_codes: set[str],
    question_codes: set[str],
) -> None:
    code = competency.get("code") if isinstance(competency, dict) else None
    where = [_label(_("competency %(code)s"), code, position)]
    if not check.mapping(where, competency, COMPETENCY_KEYS):
        return
    if "code" in competency and check.code(where, code, COMPETENCY_CODE_MAX):
        check.unique(where, code, competency_codes)
    if "name" in competency:
        check.text(where + ["name"], competency["name"], NAME_MAX)
    if "description" in competency:
        check.text(where + ["description"], competency["description"])
    if "descriptors" in competency:
        descriptors = check.items(where + ["descriptors"], competency["descriptors"])
        if isinstance(competency["descriptors"], list) and len(descriptors) != len(LEVELS):
            check.error(
                where + ["descriptors"],
                _("needs exactly 5 descriptors (levels 0 to 4), found %(count)s")
                % {"count": len(descriptors)},
            )
        for level, descriptor in enumerate(descriptors):
            check.text(where + [f"descriptors[{level}]"], descriptor)
    if "targets" in competency:
        _check_targets(check, where, competency["targets"], roles)
    if "questions" in competency:
        questions = check.items(where + ["questions"], competency["questions"])
        for index, question in enumerate(questions):
            _check_question(check, where, question, index, question_codes)
        kinds = [q.get("kind") for q in questions if isinstance(q, dict)]
        if "self" not in kinds:
            check.error(where, _("has no self-assessment question"))


def _check_targets(check: _Checker, where: list[str], targets: Any, roles: set[str]) -> None:
    where = where + ["targets"]
    if not isinstance(targets, dict):
        check.error(where, _("must be a mapping"))
        return
    for role, value in targets.items():
        if role not in roles:
            check.error(
                where,
                _("target for role “%(code)s”, which is not in job_roles") % {"code": role},
            )
        role_where = where + [str(role)]
        if not isinstance(value, list) or len(value) != 2:
            check.error(role_where, _("must be [target level 0..4, importance 1..3]"))
            continue
        check.integer(role_where + [_("target level")], value[0], 0, 4)
        check.integer(role_where + [_("importance")], value[1], 1, 3)
    for role in sorted(roles - set(targets)):
        check.error(where, _("no target for role “%(code)s”") % {"code": role})


def _check_question(
    check: _Checker, where: list[str], question: Any, position: int, question_codes: set[str]
) -> None:
    code = question.get("code") if isinstance(question, dict) else None
    where = where + [_label(_("question %(code)s"), code, position)]
    if not check.mapping(where, question, QUESTION_KEYS):
        return
    if "code" in question and check.code(where, code, QUESTION_CODE_MAX):
        check.unique(where, code, question_codes)
    kind = question.get("kind")
    if "kind" in question and kind not in KINDS:
        check.error(
            where + ["kind"], _("must be one of: %(choices)s") % {"choices": ", ".join(KINDS)}
        )
    if "text" in question:
        check.text(where + ["text"], question["text"])
    if kind in ("self", "frequency") and "options" in question:
        check.error(where, _("a %(kind)s question takes no options") % {"kind": kind})
    if kind == "knowledge":
        _check_options(check, where, question.get("options"))


def _check_options(check: _Checker, where: list[str], options: Any) -> None:
    if options is None:
        check.error(where, _("a knowledge question needs options"))
        return
    seen: set[str] = set()
    correct = dont_know = real = 0
    for position, option in enumerate(check.items(where + ["options"], options)):
        code = option.get("code") if isinstance(option, dict) else None
        option_where = where + [_label(_("option %(code)s"), code, position)]
        if not check.mapping(option_where, option, OPTION_KEYS):
            continue
        if "code" in option and check.code(option_where, code, OPTION_CODE_MAX):
            check.unique(option_where, code, seen)
        if "text" in option:
            check.text(option_where + ["text"], option["text"])
        for flag in ("correct", "dont_know"):
            if flag in option and not isinstance(option[flag], bool):
                check.error(option_where + [flag], _("must be true or false"))
        is_correct = option.get("correct") is True
        is_dont_know = option.get("dont_know") is True
        if is_correct and is_dont_know:
            check.error(option_where, _("the “I don't know” option cannot be correct"))
        correct += is_correct
        dont_know += is_dont_know
        real += not is_dont_know
    if not isinstance(options, list):
        return
    if correct == 0:
        check.error(where, _("no option marked correct"))
    elif correct == 2:
        check.error(where, _("two options marked correct"))
    elif correct > 2:
        check.error(where, _("%(count)s options marked correct") % {"count": correct})
    if dont_know != 1:
        check.error(
            where,
            _("needs exactly one “I don't know” option, found %(count)s") % {"count": dont_know},
        )
    if real < 2:
        check.error(where, _("needs at least 2 options besides “I don't know”"))


# --- writing ----------------------------------------------------------------------------
# The canonical layout is written by hand rather than by yaml.dump: texts always in double
# quotes, `{es: "...", en: "..."}` on one line when it fits in LINE_WIDTH and as a two-line
# block otherwise, lists indented under their key. parse(dump(document)) == document for every
# valid document (tested with generated documents).

LINE_WIDTH = 120
# Characters written as escapes inside double quotes: the quote and backslash, line breaks
# and tabs, and everything YAML does not allow raw (controls, surrogates, U+2028/9, BOM).
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _quoted(value: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape, value) + '"'


@functools.lru_cache(maxsize=4096)
def _code(value: str) -> str:
    """A code plain when YAML reads it back as the same string, quoted otherwise."""
    if _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value
    return _quoted(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return _code(value)


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def text(self, indent: int, key: str, value: dict) -> None:
        """`key: {es: "...", en: "..."}`, or a block when the line would be too long;
        key "-" writes a list item."""
        prefix = "- " if key == "-" else f"{key}: "
        inline = ", ".join(f"{language}: {_quoted(value[language])}" for language in LANGUAGES)
        if indent + len(prefix) + len(inline) + 2 <= LINE_WIDTH:
            self.line(indent, f"{prefix}{{{inline}}}")
        elif key == "-":
            for number, language in enumerate(LANGUAGES):
                lead = "- " if number == 0 else "  "
                self.line(indent, f"{lead}{language}: {_quoted(value[language])}")
        else:
            self.line(indent, f"{key}:")
            for language in LANGUAGES:
                self.line(indent + 2, f"{language}: {_quoted(value[language])}")

    def mapping(self, indent: int, entries: list[tuple[str, Any]], item: bool = False) -> None:
        """Entries of a mapping; with `item`, the mapping is a list item ("- " before the
        first key). Values: scalars, texts (dicts with es/en) or callables writing a block."""
        for number, (key, value) in enumerate(entries):
            if not item:
                self._entry(indent, key, value)
                continue
            first = len(self.lines)
            self._entry(indent + 2, key, value)
            if number == 0:
                self.lines[first] = " " * indent + "- " + self.lines[first][indent + 2 :]

    def _entry(self, indent: int, key: str, value: Any) -> None:
        if isinstance(value, dict) and set(value) == set(LANGUAGES):
            self.text(indent, key, value)
        elif callable(value):
            self.line(indent, f"{key}:")
            value(indent + 2)
        else:
            self.line(indent, f"{key}: {_scalar(value)}")


def _role_order(document: dict) -> list[str]:
    return [role["code"] for role in document["job_roles"]]


def canonical_document(document: dict) -> dict:
    """The document as the canonical text holds it: false option flags left out, the
    knowledge weight a float, each competency's targets in the order of `job_roles`."""
    order = {code: index for index, code in enumerate(_role_order(document))}
    framework = document["framework"]

    def competency(entry: dict) -> dict:
        targets = sorted(
            entry["targets"].items(), key=lambda item: (order.get(item[0], len(order)), item[0])
        )
        return {
            "code": entry["code"],
            "name": _text(entry["name"]),
            "description": _text(entry["description"]),
            "descriptors": [_text(descriptor) for descriptor in entry["descriptors"]],
            "targets": {role: list(value) for role, value in targets},
            "questions": [_canonical_question(question) for question in entry["questions"]],
        }

    return {
        "format": FORMAT,
        "framework": {
            "code": framework["code"],
            "version": framework["version"],
            "status": framework["status"],
            "knowledge_weight": float(framework["knowledge_weight"]),
            "name": _text(framework["name"]),
            "description": _text(framework["description"]),
        },
        "levels": [
            {
                "level": level["level"],
                "name": _text(level["name"]),
                "description": _text(level["description"]),
            }
            for level in document["levels"]
        ],
        "job_roles": [
            {
                "code": role["code"],
                "name": _text(role["name"]),
                "description": _text(role["description"]),
            }
            for role in document["job_roles"]
        ],
        "areas": [
            {
                "code": area["code"],
                "name": _text(area["name"]),
                "description": _text(area["description"]),
                "competencies": [competency(entry) for entry in area["competencies"]],
            }
            for area in document["areas"]
        ],
    }


def _text(value: dict) -> dict:
    return {language: value[language] for language in LANGUAGES}


def _canonical_question(question: dict) -> dict:
    result = {"code": question["code"], "kind": question["kind"], "text": _text(question["text"])}
    if question["kind"] == "knowledge":
        result["options"] = []
        for option in question["options"]:
            canonical = {"code": option["code"], "text": _text(option["text"])}
            if option.get("correct"):
                canonical["correct"] = True
            if option.get("dont_know"):
                canonical["dont_know"] = True
            result["options"].append(canonical)
    return result


def dump_framework(document: dict) -> str:
    """The canonical text of a valid framework document."""
    doc = canonical_document(document)
    out = _Writer()

    def items(entries: list[dict], fields):
        def write(indent: int) -> None:
            for entry in entries:
                out.mapping(indent, fields(entry), item=True)

        return write

    def targets(mapping: dict):
        def write(indent: int) -> None:
            for role, (level, importance) in mapping.items():
                out.line(indent, f"{_code(role)}: [{level}, {importance}]")

        return write

    def descriptors(texts: list[dict]):
        def write(indent: int) -> None:
            for value in texts:
                out.text(indent, "-", value)

        return write

    def option(entry: dict) -> list:
        return list(entry.items())

    def question(entry: dict) -> list:
        fields = [(k, v) for k, v in entry.items() if k != "options"]
        if "options" in entry:
            fields.append(("options", items(entry["options"], option)))
        return fields

    def competency(entry: dict) -> list:
        return [
            ("code", entry["code"]),
            ("name", entry["name"]),
            ("description", entry["description"]),
            ("descriptors", descriptors(entry["descriptors"])),
            ("targets", targets(entry["targets"])),
            ("questions", items(entry["questions"], question)),
        ]

    def area(entry: dict) -> list:
        fields = [(k, v) for k, v in entry.items() if k != "competencies"]
        return fields + [("competencies", items(entry["competencies"], competency))]

    out.line(0, f"format: {FORMAT}")
    out.mapping(
        0, [("framework", lambda indent: out.mapping(indent, list(doc["framework"].items())))]
    )
    out.mapping(0, [("levels", items(doc["levels"], lambda entry: list(entry.items())))])
    out.mapping(0, [("job_roles", items(doc["job_roles"], lambda entry: list(entry.items())))])
    out.mapping(0, [("areas", items(doc["areas"], area))])
    return HEADER + "\n".join(out.lines) + "\n"
