"""Small valid framework documents (the text format's dicts) to build tests from."""

import copy


def text(label: str) -> dict:
    return {"es": f"{label} (es)", "en": f"{label} (en)"}


LEVEL_NAMES = [
    ("Sin experiencia", "None"),
    ("Conocimiento", "Awareness"),
    ("Aplicación", "Working"),
    ("Dominio", "Practitioner"),
    ("Referente", "Expert"),
]


def competency(code: str, roles: list[str]) -> dict:
    return {
        "code": code,
        "name": {"es": f"Competencia {code}", "en": f"Competency {code}"},
        "description": text(f"Descripción {code}"),
        "descriptors": [
            {"es": f"Puedo {code} nivel {level}", "en": f"I can {code} level {level}"}
            for level in range(5)
        ],
        "targets": {role: [min(index + 1, 4), 1 + index % 3] for index, role in enumerate(roles)},
        "questions": [
            {"code": f"{code}-S", "kind": "self", "text": text(f"Autoevaluación {code}")},
            {
                "code": f"{code}-K1",
                "kind": "knowledge",
                "text": text(f"Conocimiento {code}"),
                "options": [
                    {"code": "a", "text": text("Opción a"), "correct": True},
                    {"code": "b", "text": text("Opción b")},
                    {"code": "c", "text": text("Opción c")},
                    {
                        "code": "dk",
                        "text": {"es": "No sé", "en": "I don't know"},
                        "dont_know": True,
                    },
                ],
            },
            {"code": f"{code}-F", "kind": "frequency", "text": text(f"Frecuencia {code}")},
        ],
    }


def small_document(
    *,
    code: str = "prueba",
    version: int = 1,
    status: str = "published",
    areas: int = 2,
    per_area: int = 2,
    roles: tuple[str, ...] = ("ANA", "GEN"),
) -> dict:
    area_codes = "ABCDEFG"[:areas]
    return copy.deepcopy(
        {
            "format": "dsd-framework/1",
            "framework": {
                "code": code,
                "version": version,
                "status": status,
                "knowledge_weight": 0.25,
                "name": {"es": "Marco de prueba", "en": "Test framework"},
                "description": text("Marco"),
            },
            "levels": [
                {
                    "level": level,
                    "name": {"es": es, "en": en},
                    "description": text(f"Nivel {level}"),
                }
                for level, (es, en) in enumerate(LEVEL_NAMES)
            ],
            "job_roles": [
                {"code": role, "name": text(f"Rol {role}"), "description": text(f"Perfil {role}")}
                for role in roles
            ],
            "areas": [
                {
                    "code": area,
                    "name": {"es": f"Área {area}", "en": f"Area {area}"},
                    "description": text(f"Área {area}"),
                    "competencies": [
                        competency(f"{area}{number}", list(roles))
                        for number in range(1, per_area + 1)
                    ],
                }
                for area in area_codes
            ],
        }
    )
