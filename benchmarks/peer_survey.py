"""The peer side of benchmarks/data_package_peer.py, run by the peer's own virtual environment
(django-survey-and-report and the Django it pulled), never by ours: it imports nothing of this
project. DJANGO_SETTINGS_MODULE names the minimal settings the benchmark wrote for it.

    PEER_PYTHON peer_survey.py load DATA.json     migrate, then load the respondents x answers
    PEER_PYTHON peer_survey.py export REPEATS     time Survey2Csv(survey).generate_file()

`export` is what the peer's `exportresult --csv --force` command runs for a survey (its admin
action builds the same `str(Survey2Csv(survey))`); it prints one JSON line with the times.
"""

import json
import sys
import time
from pathlib import Path

# Run as a file, this folder would come first on the path, with modules named like the
# peer's (settings, urls): the peer's imports must find only the peer's environment.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import django  # noqa: E402


def load(path: str) -> None:
    """The same respondents x answers in the peer's models: one Survey, a Question per
    question (integer for levels, radio with the option codes for knowledge), a User and a
    Response per respondent, an Answer per answer."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from survey.models import Answer, Question, Response, Survey

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        survey = Survey.objects.create(
            name=data["name"], description=data["name"], need_logged_user=True
        )
        questions = {}
        for order, question in enumerate(data["questions"]):
            knowledge = bool(question["choices"])
            questions[question["code"]] = Question.objects.create(
                text=question["text"],
                order=order,
                required=True,
                survey=survey,
                type=Question.RADIO if knowledge else Question.INTEGER,
                choices=",".join(question["choices"]) if knowledge else None,
            )
        users = get_user_model().objects.bulk_create(
            [get_user_model()(username=r["respondent"]) for r in data["responses"]]
        )
        responses = Response.objects.bulk_create(
            [
                Response(survey=survey, user=user, interview_uuid=f"{n:036d}")
                for n, user in enumerate(users)
            ]
        )
        answers = [
            Answer(question=questions[code], response=response, body=value)
            for response, r in zip(responses, data["responses"], strict=True)
            for code, value in r["answers"]
        ]
        Answer.objects.bulk_create(answers, batch_size=2000)
    print(json.dumps({"responses": len(responses), "answers": len(answers)}))


def export(repeats: int) -> None:
    from django.db import connection
    from survey.exporter.csv import Survey2Csv
    from survey.models import Survey

    survey = Survey.objects.get()
    times, queries = [], []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    for _ in range(repeats):
        queries.clear()
        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            exporter = Survey2Csv(survey)
            exporter.generate_file()
            times.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "times": times,
                "bytes": exporter.filename.stat().st_size,
                "lines": exporter.filename.read_text(encoding="utf-8").count("\n") + 1,
                "queries": len(queries),
                "django": django.get_version(),
            }
        )
    )


if __name__ == "__main__":
    django.setup()
    command, argument = sys.argv[1:3]
    if command == "load":
        load(argument)
    else:
        export(int(argument))
